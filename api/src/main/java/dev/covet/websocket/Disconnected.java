package dev.covet.websocket;

/**
 * Fired once when a connection that produced {@link Connected} has closed, for any reason.
 *
 * <p>By then the connection has left every room (each departure fired {@link dev.covet.websocket.room.MemberLeft}).
 *
 * @param connection the closed connection
 * @param closeCode the WebSocket close code (1006 when the peer vanished without a close frame)
 * @param reason the close reason, possibly empty, never null
 */
public record Disconnected(Connection connection, int closeCode, String reason) {
}
