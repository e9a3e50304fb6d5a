package dev.covet.websocket.impl.auth;

import java.security.Principal;
import java.util.Optional;

/**
 * What the handshake decided about a connection; carried from the configurator to the endpoint.
 *
 * <p>Immutable; made by the static factories.
 */
public final class AuthOutcome {

    private static final AuthOutcome ANONYMOUS = new AuthOutcome(null, null, null);

    private final Principal principal;
    private final String refusal;
    private final String statsKey;

    private AuthOutcome(Principal principal, String refusal, String statsKey) {
        this.principal = principal;
        this.refusal = refusal;
        this.statsKey = statsKey;
    }

    /** @return an outcome admitting an authenticated principal */
    static AuthOutcome authenticated(Principal principal) {
        return new AuthOutcome(principal, null, null);
    }

    /** @return an outcome admitting a connection without credentials */
    static AuthOutcome anonymous() {
        return ANONYMOUS;
    }

    /**
     * An outcome refusing the connection for its credentials.
     *
     * @param reason a short fact for the close reason, never containing the credential
     * @return the outcome
     */
    public static AuthOutcome refused(String reason) {
        return new AuthOutcome(null, reason, "unauthorized");
    }

    /** @return an outcome refusing the connection for its Origin */
    public static AuthOutcome foreignOrigin() {
        return new AuthOutcome(null, "forbidden: origin not allowed", "origin");
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

    /** @return the principal, or empty for an anonymous or refused connection */
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }
}
