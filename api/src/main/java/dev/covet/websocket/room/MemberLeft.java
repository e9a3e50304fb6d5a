package dev.covet.websocket.room;

/**
 * Fired when a user is no longer present in a room (their last connection left it), with the reason.
 *
 * @param room the room name
 * @param user the user name
 * @param reason why
 */
public record MemberLeft(String room, String user, LeaveReason reason) {
}
