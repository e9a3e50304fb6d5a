package dev.covet.websocket;

import java.util.Set;

/**
 * Named groups of connections that receive the same broadcasts; the library's {@code @ApplicationScoped} bean.
 *
 * <p>Inject it where server code needs to broadcast or manage membership. Clients join and leave with the
 * built-in {@code $room.join} and {@code $room.leave} commands. A broadcast serializes its envelope once and
 * queues the same frame for every member; a member that leaves or closes stops receiving at once. Thread-safe.
 *
 * <pre>{@code
 * @Inject Rooms rooms;
 * rooms.broadcast("lobby", "news.flash", new Flash("Deploy done"));
 * }</pre>
 */
public interface Rooms {

    /**
     * Adds a connection to a room, creating the room if needed; fires {@link RoomJoined} when it was not a member.
     *
     * @param connection the connection to add
     * @param room the room name
     * @return true if the connection was not already a member
     */
    boolean join(Connection connection, String room);

    /**
     * Removes a connection from a room; fires {@link RoomLeft} when it was a member. An empty room disappears.
     *
     * @param connection the connection to remove
     * @param room the room name
     * @return true if the connection was a member
     */
    boolean leave(Connection connection, String room);

    /**
     * Sends {@code {"event":<event>,"room":<room>,"data":<data>}} to every member of the room.
     *
     * @param room the room name
     * @param event the event name
     * @param data the body, serialized once with JSON-B; may be null
     * @return the number of members the message was queued for
     */
    int broadcast(String room, String event, Object data);

    /**
     * Like {@link #broadcast(String, String, Object)}, but skips one connection, typically the sender.
     *
     * @param room the room name
     * @param event the event name
     * @param data the body; may be null
     * @param except the connection that must not receive it
     * @return the number of members the message was queued for
     */
    int broadcastExcept(String room, String event, Object data, Connection except);

    /**
     * The current members of a room.
     *
     * @param room the room name
     * @return an immutable snapshot, empty if the room does not exist
     */
    Set<Connection> members(String room);

    /**
     * The rooms a connection belongs to.
     *
     * @param connection the connection
     * @return an immutable snapshot
     */
    Set<String> roomsOf(Connection connection);
}
