package dev.covet.websocket.room;

/**
 * Why a user is no longer present in a room, so UIs can say "left", "was kicked" or "lost connection".
 */
public enum LeaveReason {
    /** Left on their own ({@code $room.leave}, or server code). */
    LEFT,
    /** Removed by a moderator or above, or by server code. */
    KICKED,
    /** Removed and banned. */
    BANNED,
    /** Their last connection in the room closed. */
    DISCONNECTED,
    /** The room was deleted. */
    ROOM_DELETED
}
