package dev.covet.websocket.room;

import java.util.Objects;

import dev.covet.websocket.CovetException;
import dev.covet.websocket.ErrorCode;

/**
 * A room operation that was refused, with the protocol error code the client gets for it ({@code forbidden},
 * {@code not_found}, {@code conflict}, ...), so server code and the wire commands report the same facts.
 */
public class RoomException extends CovetException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates the exception.
     *
     * @param code the error code
     * @param message a short fact for the client
     */
    public RoomException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the protocol error code */
    public ErrorCode code() {
        return code;
    }
}
