package dev.covet.websocket.impl.room;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.Heartbeats;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.room.LeaveReason;
import dev.covet.websocket.room.MemberLeft;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomDeleted;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomInfo;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.ClusterBus;
import dev.covet.websocket.spi.RoomStore;

/**
 * The library's {@link Rooms}: a thin facade over room creation ({@link RoomCreation}), admission
 * ({@link Admission}), moderation ({@link RoomModeration}), node-local presence and delivery ({@link Presence})
 * and the temporary-room reaper, with the governance state in the {@link RoomStore}.
 *
 * <p>Thread-safe. Everything that changes who is present in a room, and every room message (offset, history,
 * fan-out), happens under that room's lock, so each member receives a room's messages in offset order and a
 * member joining with recovery receives exactly the messages it missed, then the new ones, none twice. CDI events
 * and notices that follow a change are fired after the lock is released.
 */
@ApplicationScoped
public class LocalRooms implements Rooms {

    private static final System.Logger LOG = System.getLogger(LocalRooms.class.getName());
    /** Prefix of the per-connection user name of an anonymous connection. */
    private static final String ANONYMOUS = "~";

    @Inject
    Envelopes envelopes;
    @Inject
    Event<Object> events;
    @Inject
    RoomStore store;
    @Inject
    CurrentConfig config;
    @Inject
    ConnectionRegistry registry;
    @Inject
    Heartbeats heartbeats;
    @Inject
    TimeSource time;
    @Inject
    ClusterBus bus;

    private final RoomLocks locks = new RoomLocks();
    private final Presence presence = new Presence();
    private TemporaryRooms temporary;
    private RoomFeed feed;
    private Membership membership;
    private RoomModeration moderation;
    private RoomCreation creation;

    @PostConstruct
    void init() {
        temporary = new TemporaryRooms(time::nanoTime);
        Admission admission = new Admission(store, time);
        creation = new RoomCreation(store, temporary, events, config::get);
        feed = new RoomFeed(store, bus, presence, locks, envelopes);
        membership = new Membership(this, creation, store, envelopes, events, config::get, locks, presence,
                temporary, admission, feed);
        moderation = new RoomModeration(this, membership, store, presence, feed, admission, time);
        heartbeats.onSweep(() -> temporary.anyDue(grace()), this::sweepTemporaryRooms);
    }

    /** @return the figures of this node's rooms with members here, for statistics */
    public Map<String, dev.covet.websocket.CovetStats.Room> roomFigures() {
        return presence.figures();
    }

    /** @return this node's view of its cluster, for statistics and health */
    public dev.covet.websocket.CovetStats.Cluster clusterStats() {
        return feed.stats();
    }

    private Duration grace() {
        return config.get().get(Settings.ROOMS_TEMPORARY_GRACE);
    }

    private void sweepTemporaryRooms() {
        try {
            temporary.sweep(grace(), membership::deleteIfStillEmpty);
        } catch (RoomException e) {
            // The cluster's store is out of reach: the rooms are deleted at a later sweep.
            LOG.log(System.Logger.Level.DEBUG, "Temporary rooms not swept: {0}", e.getMessage());
        }
    }

    /** Starts receiving from the other nodes of a cluster; called once at installation. */
    public void start() {
        feed.start(new FromOtherNodes(this, membership, moderation, registry));
    }

    @PreDestroy
    void stop() {
        feed.stop();
    }

    /** The result of a checked join: the room, the joiner's role, and what recovery found. */
    public record Joined(RoomInfo info, RoomRole role, Boolean recovered) {
    }

    /** @return the moderation commands, for callers that act as a connection (the wire commands) */
    public RoomModeration moderation() {
        return moderation;
    }

    // ---- membership: see Membership ------------------------------------------------------------------------

    @Override
    public boolean join(Connection connection, String room) {
        return membership.join(member(connection), room);
    }

    /**
     * A client's {@code $room.join}; see {@link Membership#joinChecked}.
     *
     * @param connection the joining connection
     * @param room the room
     * @param since the last offset the client has, or null
     * @param epoch the epoch that offset belongs to, or null
     * @return the outcome; what the join caused is already queued, so the caller's reply comes last
     * @throws RoomException when refused
     */
    public Joined joinChecked(DefaultConnection connection, String room, Long since, String epoch) {
        return membership.joinChecked(connection, room, since, epoch);
    }

    /**
     * Runs an action under the room's lock if the connection is present there, so that what it queues is ordered
     * with the room's membership changes.
     *
     * @param connection the connection
     * @param room the room
     * @param action what to do
     * @return false when the connection is not present (the action did not run)
     */
    public boolean whilePresent(DefaultConnection connection, String room, Runnable action) {
        return membership.whilePresent(connection, room, action);
    }

    @Override
    public boolean leave(Connection connection, String room) {
        return membership.leave(member(connection), room);
    }

    /**
     * Removes a closing connection from all its rooms, firing {@link MemberLeft} with reason
     * {@code DISCONNECTED}.
     *
     * @param connection the closing connection
     */
    public void leaveAll(DefaultConnection connection) {
        membership.leaveAll(connection);
    }

    // ---- messages ------------------------------------------------------------------------------------------

    @Override
    public int broadcast(String room, String event, Object data) {
        Envelopes.RoomMessage message = envelopes.roomMessage(event, room, envelopes.toJson(data));
        synchronized (locks.of(room)) {
            RoomStore.Appended appended = store.append(room, message.head(), message.tail());
            return appended.offset() == 0 ? 0 : feed.deliver(room, appended.offset(), appended.frame());
        }
    }

    @Override
    public void batch(Runnable sends) {
        DefaultConnection.batched(sends);
    }

    @Override
    public int push(String room, String event, Object data) {
        return pushEverywhere(room, event, data, member -> true, Set.of());
    }

    @Override
    public int pushExcept(String room, String event, Object data, Connection except) {
        return pushEverywhere(room, event, data, member -> member != except, Set.of());
    }

    @Override
    public int pushExceptUsers(String room, String event, Object data, Set<String> users) {
        Set<String> excluded = Set.copyOf(users);
        return pushEverywhere(room, event, data, member -> !excluded.contains(userOf(member)), excluded);
    }

    @Override
    public int push(String room, String event, Object data, Predicate<Connection> filter) {
        // No store lookup: a room that does not exist has no members here, so nothing is queued.
        String frame = envelopes.push(event, room, data);
        synchronized (locks.of(room)) {
            return presence.deliver(room, frame, filter, true);
        }
    }

    private int pushEverywhere(String room, String event, Object data, Predicate<Connection> here,
                               Set<String> exceptUsers) {
        // No store lookup (a round trip per push in a cluster): a room that does not exist has no members anywhere.
        return feed.push(room, envelopes.push(event, room, data), here, exceptUsers);
    }

    @Override
    public int sendToUser(String user, String event, Object data) {
        String frame = envelopes.push(event, null, data);
        feed.publish(null, Signal.Kind.USER, List.of(user), frame);
        return toUserHere(user, frame);
    }

    int toUserHere(String user, String frame) {
        Set<Connection> connections = registry.byUser(user);
        int queued = 0;
        for (Connection connection : connections) {
            if (connection instanceof DefaultConnection c && c.isOpen()) {
                c.enqueue(frame);
                queued++;
            }
        }
        return queued;
    }

    // ---- queries -------------------------------------------------------------------------------------------

    @Override
    public Set<Connection> members(String room) {
        return presence.members(room);
    }

    /**
     * @param room the room
     * @return how many of this node's connections are in it, without copying them: a join's reply says so, and
     *     copying the set made every join cost as much as the room was large
     */
    public int memberCount(String room) {
        return presence.memberCount(room);
    }

    @Override
    public Set<String> roomsOf(Connection connection) {
        return connection instanceof DefaultConnection c ? c.rooms() : Set.of();
    }

    @Override
    public Optional<RoomInfo> info(String room) {
        return store.room(room).map(stored -> info(stored, store.offset(room).orElse(0)));
    }

    RoomInfo info(RoomStore.StoredRoom stored, long offset) {
        return new RoomInfo(stored.room(), stored.config(), stored.owner(), stored.epoch(), offset,
                store.presentCount(stored.room()));
    }

    /**
     * A page of the rooms anyone may join (public and temporary), by name.
     *
     * @param after the last name of the previous page, or null for the first page
     * @param limit the most rooms
     * @return the rooms after {@code after}, in name order, at most {@code limit + 1} (one more says "more")
     */
    public List<RoomInfo> listed(String after, int limit) {
        return store.rooms().stream().filter(room -> after == null || room.compareTo(after) > 0).sorted()
                .map(this::info).flatMap(Optional::stream)
                .filter(info -> info.config().type() == RoomType.PUBLIC || info.config().type() == RoomType.TEMPORARY)
                .limit(limit + 1L).toList();
    }

    @Override
    public Map<String, RoomRole> presence(String room) {
        Map<String, RoomRole> roles = new TreeMap<>();
        for (String user : store.present(room)) {
            roles.put(user, roleOf(room, user));
        }
        return Map.copyOf(roles);
    }

    /**
     * A page of a room's messages after an offset, for {@code $history}; never from before the caller's
     * recovery floor (what was sent while the caller was banned).
     *
     * @param connection the caller, a member
     * @param room the room
     * @param since the last offset the caller has, or null for the messages kept (from the floor on)
     * @param limit the most messages
     * @param maxChars the most characters the messages may add up to
     * @return the history page ({@code complete=false} when some messages after {@code since}, or after the floor,
     *         are gone), with no frames when {@code since} is before the floor
     * @throws RoomException {@code not_found} when there is no such room
     */
    public RoomStore.History history(DefaultConnection connection, String room, Long since, int limit,
                                     long maxChars) {
        long floor = store.recoveryFloor(room, userOf(connection)).orElse(0);
        long after = since == null ? floor : since;
        RoomStore.History history = store.since(room, after, limit, maxChars).orElseThrow(() ->
                new RoomException(ErrorCode.NOT_FOUND, "No room '" + room + "'"));
        if (after < floor) {
            return new RoomStore.History(history.epoch(), history.offset(), false, List.of(), false);
        }
        return history;
    }

    /**
     * A connection's role in a room: the assigned one, else {@code member} for an authenticated user and
     * {@code guest} for an anonymous one.
     *
     * @param room the room
     * @param connection the connection
     * @return the role
     */
    public RoomRole roleOf(String room, Connection connection) {
        return roleOf(room, userOf(connection));
    }

    /**
     * A user's role in a room, as {@link #roleOf(String, Connection)}.
     *
     * @param room the room
     * @param user the user ({@code ~<id>} for an anonymous connection)
     * @return the role
     */
    public RoomRole roleOf(String room, String user) {
        return store.role(room, user).orElse(user.startsWith(ANONYMOUS) ? RoomRole.GUEST : RoomRole.MEMBER);
    }

    /**
     * @param room the room
     * @return its stored state
     * @throws RoomException {@code not_found} when there is no such room
     */
    public RoomStore.StoredRoom stored(String room) {
        return store.room(room).orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "No room '" + room + "'"));
    }

    @Override
    public boolean mayPost(Connection connection, String room) {
        return moderation.mayPost(member(connection), room);
    }

    // ---- governance ----------------------------------------------------------------------------------------

    @Override
    public RoomInfo create(String room, RoomConfig roomConfig, String owner) {
        return create(room, roomConfig, owner, Integer.MAX_VALUE);
    }

    /**
     * Creates a room, unless its owner already owns {@code maxPerOwner} rooms.
     *
     * @param room the name
     * @param roomConfig its configuration
     * @param owner the owner, or null
     * @param maxPerOwner the most rooms the owner may own
     * @return the new room
     * @throws RoomException {@code conflict} when it exists or the owner owns too many
     */
    public RoomInfo create(String room, RoomConfig roomConfig, String owner, int maxPerOwner) {
        return info(creation.create(room, roomConfig, owner, maxPerOwner), 0);
    }

    @Override
    public boolean delete(String room) {
        Set<DefaultConnection> removed;
        boolean deleted;
        synchronized (locks.of(room)) {
            removed = membership.removeAllLocked(room);
            deleted = store.delete(room);
            locks.forget(room);
        }
        feed.publish(room, Signal.Kind.DELETED, List.of(), null);
        membership.announceDeleted(room, removed);
        if (deleted) {
            events.select(RoomDeleted.class).fire(new RoomDeleted(room));
        }
        return deleted;
    }

    /**
     * Closes a user's connections on the other nodes of a cluster.
     *
     * @param user the user
     * @param code the close code
     * @param reason the close reason
     */
    public void disconnectElsewhere(String user, int code, String reason) {
        feed.publish(null, Signal.Kind.DISCONNECT, List.of(user, Integer.toString(code), reason), null);
    }

    @Override
    public void invite(String room, String user, Duration validFor) {
        moderation.invite(null, room, user, validFor);
    }

    @Override
    public boolean kick(String room, String user) {
        return moderation.kick(null, room, user);
    }

    @Override
    public void ban(String room, Subject subject, Duration duration) {
        moderation.ban(null, room, subject, duration);
    }

    @Override
    public boolean unban(String room, Subject subject) {
        return moderation.unban(null, room, subject);
    }

    @Override
    public void mute(String room, String user, Duration duration) {
        moderation.mute(null, room, user, duration);
    }

    @Override
    public boolean unmute(String room, String user) {
        return moderation.unmute(null, room, user);
    }

    @Override
    public void role(String room, String user, RoomRole role) {
        moderation.role(null, room, user, role);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The user a connection counts as in rooms: its principal's name, or a per-connection name for an anonymous
     * one (which cannot be addressed by moderation commands).
     *
     * @param connection the connection
     * @return the user name
     */
    public static String userOf(Connection connection) {
        return connection.principal().map(Principal::getName).orElseGet(() -> ANONYMOUS + connection.id());
    }

    static String reasonName(LeaveReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    static DefaultConnection member(Connection connection) {
        if (connection instanceof DefaultConnection c) {
            return c;
        }
        throw new IllegalArgumentException("Not a connection of this library: " + connection);
    }
}
