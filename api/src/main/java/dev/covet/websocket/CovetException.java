package dev.covet.websocket;

/**
 * The root of every exception the library throws, so callers can catch Covet failures in one place.
 */
public class CovetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message stating what failed, the offending value and what was expected.
     *
     * @param message the message
     */
    public CovetException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the cause.
     *
     * @param message the message
     * @param cause the cause
     */
    public CovetException(String message, Throwable cause) {
        super(message, cause);
    }
}
