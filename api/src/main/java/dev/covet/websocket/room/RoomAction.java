package dev.covet.websocket.room;

/**
 * What a member may try to do in a room; each is allowed or refused by the room permission table.
 */
public enum RoomAction {
    /** Send a room message (subject to the room's post policy and mutes). */
    POST,
    /** Invite a user (invite-only rooms) or add one (private rooms). */
    INVITE,
    /** Remove a member; they may rejoin. */
    KICK,
    /** Remove a member and keep them (or an IP) out, optionally for a time. */
    BAN,
    /** Lift a ban. */
    UNBAN,
    /** Let a member receive but not post, optionally for a time. */
    MUTE,
    /** Lift a mute. */
    UNMUTE,
    /** Give a member another role. */
    CHANGE_ROLE,
    /** Delete the room. */
    DELETE
}
