package dev.covet.websocket.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link HandshakeCheck} decided: pass the handshake on, admit it as a user, or refuse it.
 *
 * <p>Immutable; made only by the static factories, as Quarkus's {@code CheckResult}.
 */
public final class CheckResult {

    private static final CheckResult ABSTAIN = new CheckResult(null, Set.of(), null, null);

    private final String user;
    private final Set<String> roles;
    private final Instant expiresAt;
    private final String refusal;

    private CheckResult(String user, Set<String> roles, Instant expiresAt, String refusal) {
        this.user = user;
        this.roles = roles;
        this.expiresAt = expiresAt;
        this.refusal = refusal;
    }

    /**
     * No opinion: the next check, or the built-in ones, decide.
     *
     * @return the shared abstaining result
     */
    public static CheckResult abstain() {
        return ABSTAIN;
    }

    /**
     * Admits the handshake as a user whose credentials do not expire.
     *
     * @param user the user name, as the JWT {@code sub} would be
     * @param roles the user's roles, for {@code @RolesAllowed}
     * @return the result
     */
    public static CheckResult authenticate(String user, Set<String> roles) {
        return authenticate(user, roles, null);
    }

    /**
     * Admits the handshake as a user until the credentials expire; the connection is then closed with
     * {@code 4002} unless the client refreshes them with {@code $auth.refresh}.
     *
     * @param user the user name
     * @param roles the user's roles
     * @param expiresAt when the credentials expire, or null for never
     * @return the result
     */
    public static CheckResult authenticate(String user, Set<String> roles, Instant expiresAt) {
        if (Objects.requireNonNull(user, "user").isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        return new CheckResult(user, Set.copyOf(roles), expiresAt, null);
    }

    /**
     * Refuses the handshake: HTTP 401 before the upgrade where there is a servlet layer, else close 1008.
     *
     * @param reason a short fact for the client; never the credential itself
     * @return the result
     */
    public static CheckResult refuse(String reason) {
        return new CheckResult(null, Set.of(), null, Objects.requireNonNull(reason, "reason"));
    }

    /** @return the authenticated user, or empty when abstaining or refusing */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** @return the roles of the authenticated user, empty otherwise */
    public Set<String> roles() {
        return roles;
    }

    /** @return when the credentials expire, or empty for never (or when not authenticating) */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** @return the refusal reason, or empty when not refusing */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }
}
