package dev.covet.websocket.impl.room;

/** The data of the room notices the library sends, serialized with JSON-B (so public); null fields are omitted. */
public final class Notices {

    private Notices() {
    }

    /**
     * The data of {@code $room.joined}, {@code $room.left}, {@code $room.role}, {@code $room.invited} and
     * {@code $room.deleted} notices; null fields are omitted.
     *
     * @param room the room
     * @param user the user concerned
     * @param role the user's role, where it applies
     * @param reason why the user left, where it applies
     */
    public record MemberNotice(String room, String user, String role, String reason) {
    }

    /**
     * The data of {@code $room.gap}: messages {@code from}..{@code to} of a room were lost between nodes and are no
     * longer in history.
     *
     * @param room the room
     * @param from the first offset lost
     * @param to the last offset lost
     */
    public record Gap(String room, long from, long to) {
    }
}
