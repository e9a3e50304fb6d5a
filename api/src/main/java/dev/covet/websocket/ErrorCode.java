package dev.covet.websocket;

/**
 * The stable error codes of the wire protocol's {@code error} envelope; clients switch on {@link #wireName()}.
 */
public enum ErrorCode {
    /** The frame is not a valid envelope (bad JSON, missing {@code event}, wrong field types). */
    BAD_REQUEST("bad_request"),
    /** No route is declared for the event. */
    UNKNOWN_EVENT("unknown_event"),
    /** {@code data} could not be bound or broke a Bean Validation constraint; see {@code details}. */
    VALIDATION_FAILED("validation_failed"),
    /** The connection is not authenticated for this operation. */
    UNAUTHORIZED("unauthorized"),
    /** The principal may not do this. */
    FORBIDDEN("forbidden"),
    /** The target (room, user, ...) does not exist. */
    NOT_FOUND("not_found"),
    /** The operation conflicts with the current state. */
    CONFLICT("conflict"),
    /** A rate limit was exceeded; the message was not routed. */
    RATE_LIMITED("rate_limited"),
    /** The message or a field is too large. */
    TOO_LARGE("too_large"),
    /** Shared state is out of reach for now (the cluster's Redis is down); the client may retry later. */
    UNAVAILABLE("unavailable"),
    /** The server failed; details are logged server-side, never sent. */
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The code as written on the wire.
     *
     * @return the lower-case wire name, e.g. {@code validation_failed}
     */
    public String wireName() {
        return wireName;
    }
}
