package dev.covet.websocket.room;

import java.util.Locale;

/**
 * A user's standing in one room, from most to least powerful; what the permission table in
 * {@code docs/protocol.md} is written in.
 */
public enum RoomRole {
    /** Created the room (or was made owner by the server); may do everything, including delete it. */
    OWNER,
    /** Runs the room: invites, kicks, bans, mutes, and changes roles below admin. */
    ADMIN,
    /** Keeps order: invites, kicks, bans and mutes members and guests. */
    MODERATOR,
    /** Takes part: posts. */
    MEMBER,
    /** Watches: receives, and posts only where the room's post policy allows guests. */
    GUEST;

    /**
     * Whether this role outranks another: actions on a user need a strictly higher role.
     *
     * @param other the other role
     * @return true when this role is above it
     */
    public boolean outranks(RoomRole other) {
        return ordinal() < other.ordinal();
    }

    /**
     * Whether this role is the given one or above it.
     *
     * @param other the other role
     * @return true when at least as powerful
     */
    public boolean atLeast(RoomRole other) {
        return ordinal() <= other.ordinal();
    }

    /** @return the wire name, e.g. {@code moderator} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @param name e.g. {@code admin}
     * @return the role
     * @throws IllegalArgumentException for an unknown name
     */
    public static RoomRole ofWireName(String name) {
        for (RoomRole role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown room role '" + name + "'");
    }
}
