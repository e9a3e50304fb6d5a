package dev.covet.websocket.impl.routing;

import java.util.List;
import java.util.Map;

/**
 * The replies of the room commands; null fields are omitted on the wire.
 */
public final class RoomReplies {

    private RoomReplies() {
    }

    /**
     * {@code $room.join}, {@code $room.leave}, {@code $room.create}.
     *
     * @param room the room
     * @param members connections in the room after the change (on this node)
     * @param users users present, on every node of a cluster
     * @param epoch the room's epoch
     * @param offset the room's last offset
     * @param role the caller's role
     * @param recovered with {@code since}: whether every missed message follows
     */
    public record Membership(String room, int members, Integer users, String epoch, Long offset, String role,
                      Boolean recovered) {
    }

    /**
     * {@code $room.info}.
     *
     * @param room the room
     * @param type its type
     * @param owner its owner, if any
     * @param epoch its epoch
     * @param offset its last offset
     * @param users users present
     * @param maxMembers most users present
     * @param historySize messages kept
     * @param postPolicy the least role that may post
     * @param metadata free-form strings
     */
    public record Info(String room, String type, String owner, String epoch, long offset, int users, int maxMembers,
                int historySize, String postPolicy, Map<String, String> metadata) {
    }

    /**
     * {@code $presence}.
     *
     * @param room the room
     * @param users who is present, once each, with their role
     */
    public record Presence(String room, List<Present> users) {
    }

    /**
     * One present user.
     *
     * @param user the user
     * @param role the role
     */
    public record Present(String user, String role) {
    }

    /**
     * {@code $room.list}.
     *
     * @param rooms the rooms of this page, by name
     * @param more whether more rooms follow (ask again with {@code after} = the last name)
     */
    public record Listing(List<Listed> rooms, boolean more) {
    }

    /**
     * One listed room.
     *
     * @param room the name
     * @param type {@code public} or {@code temporary}
     * @param users users present (on every node of a cluster)
     * @param metadata its metadata
     */
    public record Listed(String room, String type, int users, Map<String, String> metadata) {
    }

    /**
     * The moderation commands.
     *
     * @param room the room
     * @param user the user acted on
     * @param ip the address acted on
     * @param role the role given
     */
    public record Done(String room, String user, String ip, String role) {
    }
}
