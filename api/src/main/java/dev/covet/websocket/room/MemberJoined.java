package dev.covet.websocket.room;

/**
 * Fired when a user becomes present in a room (their first connection joined); presence is per user, so a
 * second tab does not fire it again.
 *
 * @param room the room name
 * @param user the user name
 * @param role their role in the room
 */
public record MemberJoined(String room, String user, RoomRole role) {
}
