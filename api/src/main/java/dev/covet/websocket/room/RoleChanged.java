package dev.covet.websocket.room;

/**
 * Fired when a user's role in a room changes.
 *
 * @param room the room name
 * @param user the user whose role changed
 * @param from the previous role
 * @param to the new role
 */
public record RoleChanged(String room, String user, RoomRole from, RoomRole to) {
}
