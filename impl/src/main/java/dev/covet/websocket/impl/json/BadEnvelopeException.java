package dev.covet.websocket.impl.json;

import java.util.Optional;

import dev.covet.websocket.CovetException;

/**
 * A frame that is not a valid envelope; answered with {@code bad_request}, the connection stays open.
 */
public final class BadEnvelopeException extends CovetException {
    private static final long serialVersionUID = 1L;
    private final transient Optional<String> id;

    BadEnvelopeException(String message, Optional<String> id) {
        super(message);
        this.id = id;
    }

    /** @return the request id when it could be read, so the error can answer it */
    public Optional<String> id() {
        return id;
    }
}
