package dev.covet.websocket;

/**
 * The WebSocket close codes the library uses, so that clients and server code name them the same way.
 *
 * <p>Standard codes (RFC 6455) where one fits; {@code 4xxx} application codes otherwise. {@code docs/protocol.md}
 * lists when each is sent.
 */
public final class CloseCodes {

    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The server is shutting down or the application is being undeployed. */
    public static final int GOING_AWAY = 1001;
    /** Policy violation: the handshake was refused (credentials, Origin). */
    public static final int POLICY_VIOLATION = 1008;
    /** A message exceeded {@code covet.max-message-bytes}. */
    public static final int TOO_BIG = 1009;
    /** The server failed unexpectedly. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is at a connection limit (global, per IP or per user); retry later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** A connection admitted for first-message authentication sent no valid {@code $auth} in time. */
    public static final int AUTHENTICATION_TIMEOUT = 4001;
    /** The connection's credentials expired and were not refreshed with {@code $auth.refresh}. */
    public static final int CREDENTIALS_EXPIRED = 4002;
    /** The user's connections were closed by the application (logout, revocation): {@code Connections#disconnect}. */
    public static final int REVOKED = 4003;
    /** The client did not read fast enough and its outbound queue overflowed. */
    public static final int SLOW_CONSUMER = 4008;
    /** The client did not answer a ping within {@code covet.heartbeat.timeout}. */
    public static final int HEARTBEAT_TIMEOUT = 4011;
    /** The client kept exceeding its rate limits ({@code covet.rate.violations-before-close}). */
    public static final int RATE_LIMITED = 4029;

    private CloseCodes() {
    }
}
