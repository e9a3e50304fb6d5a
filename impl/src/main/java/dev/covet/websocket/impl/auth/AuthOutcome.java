package dev.covet.websocket.impl.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What the handshake decided about a connection; carried from the configurator to the endpoint.
 *
 * <p>Immutable; made by the static factories.
 */
public final class AuthOutcome {

    private static final AuthOutcome ANONYMOUS = new AuthOutcome(null, null, null, null, false);
    private static final AuthOutcome PENDING = new AuthOutcome(null, null, null, null, true);

    private final UserPrincipal principal;
    private final Instant expiresAt;
    private final String refusal;
    private final String statsKey;
    private final boolean pending;

    private AuthOutcome(UserPrincipal principal, Instant expiresAt, String refusal, String statsKey,
                        boolean pending) {
        this.principal = principal;
        this.expiresAt = expiresAt;
        this.refusal = refusal;
        this.statsKey = statsKey;
        this.pending = pending;
    }

    /**
     * An outcome admitting an authenticated principal.
     *
     * @param principal the user and roles
     * @param expiresAt when the credentials expire, or null for never
     * @return the outcome
     */
    static AuthOutcome authenticated(UserPrincipal principal, Instant expiresAt) {
        return new AuthOutcome(principal, expiresAt, null, null, false);
    }

    /** @return an outcome admitting a connection without credentials */
    static AuthOutcome anonymous() {
        return ANONYMOUS;
    }

    /** @return an outcome admitting a connection that must authenticate with its first message ({@code $auth}) */
    static AuthOutcome pending() {
        return PENDING;
    }

    /**
     * An outcome refusing the connection for its credentials.
     *
     * @param reason a short fact for the close reason, never containing the credential
     * @return the outcome
     */
    public static AuthOutcome refused(String reason) {
        return new AuthOutcome(null, null, reason, "unauthorized", false);
    }

    /** @return an outcome refusing the connection for its Origin */
    public static AuthOutcome foreignOrigin() {
        return new AuthOutcome(null, null, "forbidden: origin not allowed", "origin", false);
    }

    /** @return the refusal reason's key in {@code CovetStats.Snapshot.refused()}, or null when admitted */
    public String statsKey() {
        return statsKey;
    }

    /** @return true when the connection must be refused */
    public boolean isRefused() {
        return refusal != null;
    }

    /** @return the refusal reason, or empty when admitted */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** @return the principal, or empty for an anonymous, pending or refused connection */
    public Optional<UserPrincipal> principal() {
        return Optional.ofNullable(principal);
    }

    /** @return when the credentials expire, or empty for never */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** @return whether the connection is admitted only to authenticate with {@code $auth} */
    public boolean isPending() {
        return pending;
    }
}
