package dev.covet.websocket.impl.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What the handshake decided about a connection; carried from the configurator to the endpoint.
 *
 * <p>Immutable; made by the static factories.
 */
public final class AuthOutcome {

    private static final AuthOutcome ANONYMOUS = new AuthOutcome(null, null, null, null, false, null);
    private static final AuthOutcome PENDING = new AuthOutcome(null, null, null, null, true, null);

    /** Why a handshake is refused: each kind owns its HTTP status, its stats key, and the close code 1008. */
    public enum Refusal {
        /** No or invalid credentials: HTTP 401 with a challenge that fits the mechanism. */
        UNAUTHORIZED(401, "unauthorized"),
        /** A foreign Origin: HTTP 403. */
        ORIGIN(403, "origin"),
        /** Authenticated, but an {@code AuthorizationCheck} forbade it: HTTP 403. */
        FORBIDDEN(403, "forbidden");

        private final int status;
        private final String statsKey;

        Refusal(int status, String statsKey) {
            this.status = status;
            this.statsKey = statsKey;
        }

        /** @return the HTTP status in a servlet container */
        public int status() {
            return status;
        }

        /** @return the key in {@code CovetStats.Snapshot.refused()} */
        public String statsKey() {
            return statsKey;
        }
    }

    private final UserPrincipal principal;
    private final Instant expiresAt;
    private final String reason;
    private final Refusal refusal;
    private final boolean pending;
    private final String challenge;

    private AuthOutcome(UserPrincipal principal, Instant expiresAt, String reason, Refusal refusal,
                        boolean pending, String challenge) {
        this.principal = principal;
        this.expiresAt = expiresAt;
        this.reason = reason;
        this.refusal = refusal;
        this.pending = pending;
        this.challenge = challenge;
    }

    /**
     * An outcome admitting an authenticated principal.
     *
     * @param principal the user and roles
     * @param expiresAt when the credentials expire, or null for never
     * @return the outcome
     */
    static AuthOutcome authenticated(UserPrincipal principal, Instant expiresAt) {
        return new AuthOutcome(principal, expiresAt, null, null, false, null);
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
     * An outcome refusing the connection for its credentials, with a {@code Bearer} challenge.
     *
     * @param reason a short fact for the close reason, never containing the credential
     * @return the outcome
     */
    public static AuthOutcome refused(String reason) {
        return refused(reason, "Bearer");
    }

    /**
     * An outcome refusing the connection for its credentials.
     *
     * @param reason a short fact for the close reason, never containing the credential
     * @param challenge the {@code WWW-Authenticate} value that fits the mechanism, or null for none
     * @return the outcome
     */
    public static AuthOutcome refused(String reason, String challenge) {
        return new AuthOutcome(null, null, reason, Refusal.UNAUTHORIZED, false, challenge);
    }

    /** @return an outcome refusing the connection for its Origin */
    public static AuthOutcome foreignOrigin() {
        return new AuthOutcome(null, null, "forbidden: origin not allowed", Refusal.ORIGIN, false, null);
    }

    /**
     * @param reason what the {@code AuthorizationCheck} said
     * @return an outcome refusing an authenticated connection
     */
    static AuthOutcome forbidden(String reason) {
        return new AuthOutcome(null, null, "forbidden: " + reason, Refusal.FORBIDDEN, false, null);
    }

    /** @return the refusal reason's key in {@code CovetStats.Snapshot.refused()}, or null when admitted */
    public String statsKey() {
        return refusal == null ? null : refusal.statsKey();
    }

    /** @return the kind of refusal, or empty when admitted */
    public Optional<Refusal> refusalKind() {
        return Optional.ofNullable(refusal);
    }

    /** @return the {@code WWW-Authenticate} challenge of a 401, or empty */
    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }

    /** @return true when the connection must be refused */
    public boolean isRefused() {
        return refusal != null;
    }

    /** @return the refusal reason, or empty when admitted */
    public Optional<String> refusal() {
        return Optional.ofNullable(reason);
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
