package dev.covet.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.covet.websocket.room.MemberJoined;
import dev.covet.websocket.room.MemberLeft;
import dev.covet.websocket.room.RoleChanged;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomCreated;
import dev.covet.websocket.room.RoomDeleted;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomInfo;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.Subject;

/**
 * Named groups of connections that receive the same broadcasts; the library's {@code @ApplicationScoped} bean.
 *
 * <p>Inject it where server code needs to broadcast or manage membership. Clients join and leave with the
 * built-in {@code $room.join} and {@code $room.leave} commands. A room carries two kinds of message:
 * durable {@link #broadcast broadcasts} (offset, history, recovery) and ephemeral {@link #push pushes} (never
 * stored). Either serializes its envelope once and queues the same frame for every member; a member that leaves
 * or closes stops receiving at once. Thread-safe.
 *
 * <pre>{@code
 * @Inject Rooms rooms;
 * rooms.broadcast("lobby", "news.flash", new Flash("Deploy done"));
 * }</pre>
 */
public interface Rooms {

    /**
     * Adds a connection to a room, creating the room if needed; fires {@link MemberJoined} when it was not a member.
     *
     * @param connection the connection to add
     * @param room the room name
     * @return true if the connection was not already a member
     */
    boolean join(Connection connection, String room);

    /**
     * Removes a connection from a room; fires {@link MemberLeft} when it was a member. An empty temporary room is
     * deleted after {@code covet.rooms.temporary-grace}.
     *
     * @param connection the connection to remove
     * @param room the room name
     * @return true if the connection was a member
     */
    boolean leave(Connection connection, String room);

    /**
     * Posts a <em>durable</em> room message: it takes the room's next offset, is kept in the room's history, and
     * reaches every member, {@code {"event":<event>,"room":<room>,"offset":<n>,"data":<data>}}; members that
     * missed it recover it by offset ({@code $history}, rejoin with {@code since}). Chat messages are durable.
     *
     * @param room the room name
     * @param event the event name
     * @param data the body, serialized once with JSON-B; may be null
     * @return the number of members on this node the message was queued for
     */
    int broadcast(String room, String event, Object data);

    /**
     * Runs {@code sends} so that the frames it queues for each connection on this node are written together when it
     * returns, instead of one write per frame: for a burst (many broadcasts in a row, or many messages to the same
     * members), which is how a Node server writes the emits of one tick. Only where Covet can batch without
     * blocking (Jetty 12, and Tyrus without extensions; {@code covet.outbound.batching=auto}); elsewhere {@code sends}
     * just runs. What it queues waits until it returns (then each connection gets its frames in one write), except
     * that a connection whose outbound queue fills halfway is written to at once, so keep slow work out of it; nested
     * calls join the outermost.
     *
     * @param sends the broadcasts, pushes and sends to write together
     */
    void batch(Runnable sends);

    /**
     * Pushes an <em>ephemeral</em> notice to every member, {@code {"event":<event>,"room":<room>,"data":<data>}}:
     * no offset, never stored, never recovered (typing indicators, cursors, live previews).
     *
     * @param room the room name
     * @param event the event name
     * @param data the body; may be null
     * @return the number of members on this node it was queued for (it reaches every node)
     */
    int push(String room, String event, Object data);

    /**
     * Like {@link #push(String, String, Object)}, but skips one connection, typically the sender.
     *
     * @param room the room name
     * @param event the event name
     * @param data the body; may be null
     * @param except the connection that must not receive it
     * @return the number of members on this node it was queued for (it reaches every node)
     */
    int pushExcept(String room, String event, Object data, Connection except);

    /**
     * Like {@link #push(String, String, Object)}, but skips the connections of some users (e.g. everyone who
     * blocked the sender). Ephemeral, because a stored message would reach the excluded through history.
     *
     * @param room the room name
     * @param event the event name
     * @param data the body; may be null
     * @param users users whose connections must not receive it
     * @return the number of connections on this node it was queued for (it reaches every node)
     */
    int pushExceptUsers(String room, String event, Object data, Set<String> users);

    /**
     * Like {@link #push(String, String, Object)}, to the members that pass a filter, e.g. on
     * {@link Connection#attributes()}. Ephemeral, for the same reason as {@link #pushExceptUsers}. In a cluster the
     * filter runs where the connections are, so this reaches <em>this node's</em> members only; use
     * {@link #pushExceptUsers} to reach every node.
     *
     * @param room the room name
     * @param event the event name
     * @param data the body; may be null
     * @param filter which connections receive it
     * @return the number of connections on this node it was queued for
     */
    int push(String room, String event, Object data, Predicate<Connection> filter);

    /**
     * The current members of a room on this node (in a cluster, the connections of other nodes are not objects
     * here; {@link #presence} lists the users of every node).
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

    /**
     * Sends {@code {"event":<event>,"data":<data>}} to every open connection of a user, in or out of rooms, on
     * every node of a cluster.
     *
     * @param user the principal name
     * @param event the event name
     * @param data the body; may be null
     * @return the number of connections on this node it was queued for
     */
    int sendToUser(String user, String event, Object data);

    /**
     * Creates a room; the owner, if any, gets {@link RoomRole#OWNER}. Fires {@link RoomCreated}.
     *
     * @param room the name
     * @param config its configuration
     * @param owner the owner's user name, or null for a server-owned room
     * @return the new room
     * @throws RoomException {@code conflict} when it exists, {@code validation_failed} for a bad name
     */
    RoomInfo create(String room, RoomConfig config, String owner);

    /**
     * Deletes a room: every member is removed ({@code $room.left}, reason {@code room_deleted}) and its history is
     * gone. Fires {@link RoomDeleted}.
     *
     * @param room the name
     * @return false when there was no such room
     */
    boolean delete(String room);

    /**
     * @param room the name
     * @return a snapshot, or empty when there is no such room
     */
    Optional<RoomInfo> info(String room);

    /**
     * The users present in a room, on every node: each once, however many connections they have there.
     *
     * @param room the name
     * @return user names and their roles
     */
    Map<String, RoomRole> presence(String room);

    /**
     * Invites a user to an invite-only room, or adds them to a private one.
     *
     * @param room the room
     * @param user the user
     * @param validFor how long the invitation is valid (invite-only rooms), or null for ever
     * @throws RoomException {@code not_found} when there is no such room
     */
    void invite(String room, String user, Duration validFor);

    /**
     * Removes all of a user's connections from a room. They may rejoin a public or temporary room; a kick from a
     * private or invite-only room also takes back their admission there (their role and any pending invitation), so
     * they need a new invitation, and, if they were present, recover nothing sent while they were out. The owner's
     * role is never taken back.
     *
     * @param room the room
     * @param user the user
     * @return whether the user was present, or admitted to a private or invite-only room
     */
    boolean kick(String room, String user);

    /**
     * Bans a user or an address and removes the connections it names at once; a banned user cannot rejoin from
     * any connection until the ban lapses, and never recovers what was sent meanwhile. Set by server code, an
     * address ban applies to every user.
     *
     * @param room the room
     * @param subject the user or address
     * @param duration how long, or null for ever
     * @throws RoomException {@code not_found} when there is no such room
     */
    void ban(String room, Subject subject, Duration duration);

    /**
     * Lifts a ban.
     *
     * @param room the room
     * @param subject as for {@link #ban}
     * @return whether a ban was in force
     */
    boolean unban(String room, Subject subject);

    /**
     * Mutes a user: they keep receiving but {@link #mayPost} is false.
     *
     * @param room the room
     * @param user the user
     * @param duration how long, or null for ever
     */
    void mute(String room, String user, Duration duration);

    /**
     * Lifts a mute.
     *
     * @param room the room
     * @param user the user
     * @return whether a mute was in force
     */
    boolean unmute(String room, String user);

    /**
     * Gives a user another role in a room. Fires {@link RoleChanged}.
     *
     * @param room the room
     * @param user the user
     * @param role the new role
     */
    void role(String room, String user, RoomRole role);

    /**
     * Whether a connection may post to a room now: it is a member, not muted, and its role meets the room's post
     * policy. Handlers of posting events call it before broadcasting.
     *
     * @param connection the sender
     * @param room the room
     * @return whether it may post
     */
    boolean mayPost(Connection connection, String room);
}
