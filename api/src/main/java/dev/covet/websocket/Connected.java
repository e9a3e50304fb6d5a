package dev.covet.websocket;

/**
 * Fired synchronously after a connection passed the handshake and opened, before its first message is routed.
 *
 * <p>Observe it to initialize per-connection state: {@code void on(@Observes Connected e)}. A refused handshake
 * never produces this event.
 *
 * @param connection the new connection
 */
public record Connected(Connection connection) {
}
