package dev.covet.websocket;

/**
 * Fired synchronously after a connection became a member of a room, so applications can announce it.
 *
 * @param connection the new member
 * @param room the room name
 */
public record RoomJoined(Connection connection, String room) {
}
