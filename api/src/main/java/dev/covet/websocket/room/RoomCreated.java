package dev.covet.websocket.room;

/**
 * Fired when a room is created, by a client or by server code.
 *
 * @param room the room name
 * @param config its configuration
 * @param owner the owner's user name, or null for a server-owned room
 */
public record RoomCreated(String room, RoomConfig config, String owner) {
}
