package dev.covet.websocket.room;

import java.util.Locale;

/**
 * Who may join a room: the one decision that separates a public lobby from a team channel or a support chat.
 */
public enum RoomType {
    /** Anyone not banned may join. */
    PUBLIC,
    /** Only users the owner or an admin added ({@code $room.invite}) may join; the addition does not expire. */
    PRIVATE,
    /** Joining needs a pending invitation (from a moderator or above), which expires and is used up by joining. */
    INVITE_ONLY,
    /** Like public, and deleted when its last member has been gone for {@code covet.rooms.temporary-grace}. */
    TEMPORARY;

    /** @return the wire name: {@code public}, {@code private}, {@code invite-only}, {@code temporary} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a wire name.
     *
     * @param name e.g. {@code invite-only}
     * @return the type
     * @throws IllegalArgumentException for an unknown name
     */
    public static RoomType ofWireName(String name) {
        for (RoomType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown room type '" + name + "'");
    }
}
