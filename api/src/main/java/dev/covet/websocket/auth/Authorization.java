package dev.covet.websocket.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AuthorizationCheck} decided: permit the connection, or forbid it with a short reason that the
 * client sees (HTTP 403 body-less, or the close reason {@code forbidden: <reason>}).
 *
 * <p>Immutable; made by the static factories.
 */
public final class Authorization {

    private static final Authorization PERMIT = new Authorization(null);

    private final String forbidden;

    private Authorization(String forbidden) {
        this.forbidden = forbidden;
    }

    /** @return a decision that lets the connection in (later checks still run) */
    public static Authorization permit() {
        return PERMIT;
    }

    /**
     * @param reason a short fact, e.g. {@code account blocked}; never a credential
     * @return a decision that refuses the connection with 403
     */
    public static Authorization forbid(String reason) {
        return new Authorization(Objects.requireNonNull(reason, "reason"));
    }

    /** @return the reason when forbidden, else empty */
    public Optional<String> forbidden() {
        return Optional.ofNullable(forbidden);
    }
}
