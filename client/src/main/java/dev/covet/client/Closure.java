package dev.covet.client;

/**
 * Why a connection ended, as a typed reason: the close code (or the HTTP status of a refused handshake, or
 * {@code 1006} for a dropped connection) and what it means for reconnecting.
 *
 * @param code the WebSocket close code, or the HTTP status of a refused handshake
 * @param reason the close reason the server gave, possibly empty
 * @param kind what the code means
 */
public record Closure(int code, String reason, Kind kind) {

    /** What a close code means to a client. */
    public enum Kind {
        /** 1000, or {@link CovetClient#close()}: not reconnected. */
        NORMAL,
        /** 1001: the server is stopping; reconnected. */
        GOING_AWAY,
        /** 4001, HTTP 401: credentials refused; reconnected only with a different token. */
        AUTHENTICATION_FAILED,
        /** 4002: credentials expired; reconnected with a fresh token. */
        CREDENTIALS_EXPIRED,
        /** 4003: the application disconnected the user (logout, revocation); reconnected only with a new token. */
        REVOKED,
        /** 1008, HTTP 403: refused by policy (origin, authorization); reconnected only with a new token. */
        POLICY,
        /** 1013, HTTP 429 or 503: over a connection limit or shutting down; reconnected after a longer wait. */
        OVER_CAPACITY,
        /** 4029: persistent rate-limit abuse; reconnected after a longer wait. */
        RATE_LIMITED,
        /** 4008: the client did not read fast enough; reconnected. */
        SLOW_CONSUMER,
        /** 4011: a ping went unanswered; reconnected. */
        HEARTBEAT_TIMEOUT,
        /** 1009: a message was too big; reconnected. */
        TOO_BIG,
        /** 1006, or no connection could be made: reconnected. */
        DROPPED,
        /** Any other code: reconnected. */
        OTHER;

        static Kind of(int code, boolean http) {
            if (http) {
                return switch (code) {
                    case 401 -> AUTHENTICATION_FAILED;
                    case 403 -> POLICY;
                    case 429, 503 -> OVER_CAPACITY;
                    default -> OTHER;
                };
            }
            return switch (code) {
                case 1000 -> NORMAL;
                case 1001 -> GOING_AWAY;
                case 4001 -> AUTHENTICATION_FAILED;
                case 4002 -> CREDENTIALS_EXPIRED;
                case 4003 -> REVOKED;
                case 1008 -> POLICY;
                case 1013 -> OVER_CAPACITY;
                case 4029 -> RATE_LIMITED;
                case 4008 -> SLOW_CONSUMER;
                case 4011 -> HEARTBEAT_TIMEOUT;
                case 1009 -> TOO_BIG;
                case 1006 -> DROPPED;
                default -> OTHER;
            };
        }

        /** @return whether the same credentials cannot help: a new token is needed to reconnect */
        boolean needsNewToken() {
            return this == AUTHENTICATION_FAILED || this == REVOKED || this == POLICY;
        }

        /** @return whether the next attempt waits at least the overloaded delay */
        boolean overloaded() {
            return this == OVER_CAPACITY || this == RATE_LIMITED;
        }
    }
}
