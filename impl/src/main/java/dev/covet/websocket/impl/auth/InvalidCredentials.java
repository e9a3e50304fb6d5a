package dev.covet.websocket.impl.auth;

/**
 * A presented credential that does not verify; its message is a short fact safe for logs and clients (never
 * the credential).
 */
final class InvalidCredentials extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidCredentials(String message) {
        super(message, null, false, false);
    }
}
