package dev.covet.websocket;

/**
 * Fired synchronously after a connection stopped being a member of a room, whether it left or disconnected.
 *
 * @param connection the former member
 * @param room the room name
 * @param disconnected true when the departure was caused by the connection closing
 */
public record RoomLeft(Connection connection, String room, boolean disconnected) {
}
