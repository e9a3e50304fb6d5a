package dev.covet.websocket.room;

/**
 * Fired when a room is deleted: explicitly, or a temporary room after its grace period.
 *
 * @param room the room name
 */
public record RoomDeleted(String room) {
}
