package dev.covet.websocket.impl.room;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.RoomJoined;
import dev.covet.websocket.RoomLeft;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.Heartbeats;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.room.LeaveReason;
import dev.covet.websocket.room.MemberJoined;
import dev.covet.websocket.room.MemberLeft;
import dev.covet.websocket.room.RoleChanged;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomCreated;
import dev.covet.websocket.room.RoomDeleted;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomInfo;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.spi.RoomStore;

/**
 * The library's {@link Rooms}: which connections are present in which room on this node, and the governance
 * kept in the {@link RoomStore} (configuration, roles, invitations, bans, mutes, history).
 *
 * <p>Thread-safe. Everything that changes who is present in a room, and every room message (offset, history,
 * fan-out), happens under that room's lock, so each member receives a room's messages in offset order and a
 * member joining with recovery receives exactly the messages it missed, then the new ones, none twice.
 */
@ApplicationScoped
public class LocalRooms implements Rooms {

    /** Longest room name, in characters. */
    public static final int MAX_ROOM_NAME = 128;

    private static final System.Logger LOG = System.getLogger(LocalRooms.class.getName());
    /** Prefix of the per-connection user name of an anonymous connection. */
    private static final String ANONYMOUS = "~";

    private final Map<String, Set<DefaultConnection>> present = new ConcurrentHashMap<>();
    /** Per room, each present user's number of connections there: presence is per user. */
    private final Map<String, Map<String, Integer>> users = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Temporary rooms without members, and since when ({@code System.nanoTime()}). */
    private final Map<String, Long> emptySince = new ConcurrentHashMap<>();

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

    @PostConstruct
    void init() {
        heartbeats.onSweep(this::deleteExpiredTemporaryRooms);
    }

    /** The result of a checked join: the room, the joiner's role, and what recovery found. */
    public record Joined(RoomInfo info, RoomRole role, Boolean recovered) {
    }

    // ---- membership ----------------------------------------------------------------------------------------

    @Override
    public boolean join(Connection connection, String room) {
        checkName(room);
        if (store.room(room).isEmpty()) {
            createDefault(room);
        }
        return add(member(connection), room, null, null) != null;
    }

    /**
     * A client's {@code $room.join}: creates an unknown room when {@code covet.rooms.auto-create} allows, checks
     * bans, room type, limits, then joins; with {@code since} and {@code epoch} it recovers missed messages.
     *
     * @param connection the joining connection
     * @param room the room
     * @param since the last offset the client has, or null
     * @param epoch the epoch that offset belongs to, or null
     * @return the outcome; recovered messages and the join's own consequences (events, notices, what observers
     *     broadcast) are already queued, so the caller's reply comes last
     * @throws RoomException when refused
     */
    public Joined joinChecked(DefaultConnection connection, String room, Long since, String epoch) {
        checkName(room);
        CovetConfig settings = config.get();
        RoomStore.StoredRoom stored = store.room(room).orElse(null);
        if (stored == null) {
            if (!settings.get(Settings.ROOMS_AUTO_CREATE)) {
                throw new RoomException(ErrorCode.NOT_FOUND, "No room '" + room + "'");
            }
            stored = createDefault(room);
        }
        String user = userOf(connection);
        Instant now = Instant.now();
        if (banned(room, connection, now)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Banned from room '" + room + "'");
        }
        if (!connection.rooms().contains(room)) {
            admit(connection, stored, user, now, settings);
        }
        Joined joined = add(connection, room, since, epoch);
        if (joined == null) {
            throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' was deleted while joining");
        }
        return joined;
    }

    private void admit(DefaultConnection connection, RoomStore.StoredRoom stored, String user, Instant now,
                       CovetConfig settings) {
        String room = stored.room();
        if (connection.rooms().size() >= settings.get(Settings.ROOMS_MAX_PER_CONNECTION)) {
            throw new RoomException(ErrorCode.CONFLICT, "In too many rooms (at most "
                    + settings.get(Settings.ROOMS_MAX_PER_CONNECTION) + " per connection)");
        }
        boolean assigned = store.role(room, user).isPresent();
        switch (stored.config().type()) {
            case PRIVATE -> {
                if (!assigned) {
                    throw new RoomException(ErrorCode.FORBIDDEN, "Room '" + room + "' is private");
                }
            }
            case INVITE_ONLY -> {
                if (!assigned) {
                    if (!store.takeInvitation(room, user, now)) {
                        throw new RoomException(ErrorCode.FORBIDDEN, "Room '" + room
                                + "' needs an invitation (none, or it expired)");
                    }
                    store.role(room, user, RoomRole.MEMBER);
                }
            }
            default -> {
            }
        }
        Map<String, Integer> counts = users.getOrDefault(room, Map.of());
        if (!counts.containsKey(user) && counts.size() >= stored.config().maxMembers()) {
            throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' is full");
        }
    }

    /** @return the join outcome, or null when the connection was already a member or closed meanwhile */
    private Joined add(DefaultConnection member, String room, Long since, String epoch) {
        String user = userOf(member);
        Joined joined;
        boolean firstOfUser;
        synchronized (lock(room)) {
            if (store.room(room).isEmpty()) {
                return null;
            }
            RoomRole role = roleOf(room, member);
            Set<DefaultConnection> members = present.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet());
            boolean added = members.add(member);
            firstOfUser = added && users.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).merge(user, 1,
                    Integer::sum) == 1;
            emptySince.remove(room);
            RoomStore.History history = store.since(room, since == null ? Long.MAX_VALUE : since).orElseThrow();
            Boolean recovered = since == null ? null
                    : history.complete() && history.epoch().equals(epoch);
            joined = new Joined(info(room, history.offset()), role, recovered);
            if (Boolean.TRUE.equals(recovered)) {
                history.frames().forEach(member::enqueue);
            }
            if (!added) {
                return joined;
            }
            member.addRoom(room);
        }
        if (!member.isOpen()) {
            // Closed while joining: leaveAll may have run without this room. Undo quietly; nothing was announced.
            synchronized (lock(room)) {
                removeLocked(member, room);
            }
            return null;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} joined room {1}", member, room);
        events.select(RoomJoined.class).fire(new RoomJoined(member, room));
        if (firstOfUser) {
            events.select(MemberJoined.class).fire(new MemberJoined(room, user, joined.role()));
            presenceNotice(room, "$room.joined", new MemberNotice(room, user, joined.role().wireName(), null), member);
        }
        return joined;
    }

    @Override
    public boolean leave(Connection connection, String room) {
        return leave(member(connection), room, LeaveReason.LEFT);
    }

    /**
     * Removes a closed connection from all its rooms, firing {@link RoomLeft} with {@code disconnected=true}.
     *
     * @param connection the closed connection
     */
    public void leaveAll(DefaultConnection connection) {
        for (String room : connection.rooms()) {
            leave(connection, room, LeaveReason.DISCONNECTED);
        }
    }

    private boolean leave(DefaultConnection member, String room, LeaveReason reason) {
        boolean removed;
        boolean lastOfUser;
        String user = userOf(member);
        synchronized (lock(room)) {
            removed = removeLocked(member, room);
            lastOfUser = removed && !users.getOrDefault(room, Map.of()).containsKey(user);
        }
        if (removed) {
            LOG.log(System.Logger.Level.DEBUG, "{0} left room {1} ({2})", member, room, reason);
            events.select(RoomLeft.class).fire(new RoomLeft(member, room, reason == LeaveReason.DISCONNECTED));
            if (reason != LeaveReason.LEFT && reason != LeaveReason.DISCONNECTED) {
                member.enqueue(envelopes.push("$room.left", room,
                        new MemberNotice(room, user, null, reasonName(reason))));
            }
            if (lastOfUser) {
                events.select(MemberLeft.class).fire(new MemberLeft(room, user, reason));
                presenceNotice(room, "$room.left", new MemberNotice(room, user, null, reasonName(reason)), null);
            }
            afterLeave(room);
        }
        return removed;
    }

    /** Removes the membership under the room's lock; notes when a temporary room becomes empty. */
    private boolean removeLocked(DefaultConnection member, String room) {
        Set<DefaultConnection> members = present.get(room);
        boolean removed = members != null && members.remove(member);
        if (removed) {
            users.computeIfPresent(room, (r, counts) -> {
                counts.computeIfPresent(userOf(member), (u, count) -> count == 1 ? null : count - 1);
                return counts.isEmpty() ? null : counts;
            });
        }
        if (members != null && members.isEmpty()) {
            present.remove(room, members);
            store.room(room).filter(r -> r.config().type() == RoomType.TEMPORARY)
                    .ifPresent(r -> emptySince.put(room, System.nanoTime()));
        }
        member.removeRoom(room);
        return removed;
    }

    private void afterLeave(String room) {
        if (emptySince.containsKey(room) && config.get().get(Settings.ROOMS_TEMPORARY_GRACE).isZero()) {
            deleteIfStillEmpty(room);
        }
    }

    /** The heartbeat sweep: deletes temporary rooms that stayed empty for {@code covet.rooms.temporary-grace}. */
    void deleteExpiredTemporaryRooms() {
        long grace = config.get().get(Settings.ROOMS_TEMPORARY_GRACE).toNanos();
        long now = System.nanoTime();
        emptySince.forEach((room, since) -> {
            if (now - since >= grace) {
                deleteIfStillEmpty(room);
            }
        });
    }

    private void deleteIfStillEmpty(String room) {
        boolean deleted = false;
        synchronized (lock(room)) {
            if (emptySince.containsKey(room) && present.getOrDefault(room, Set.of()).isEmpty()) {
                emptySince.remove(room);
                deleted = store.delete(room);
                locks.remove(room);
            }
        }
        if (deleted) {
            LOG.log(System.Logger.Level.DEBUG, "Deleted empty temporary room {0}", room);
            events.select(RoomDeleted.class).fire(new RoomDeleted(room));
        }
    }

    // ---- messages ------------------------------------------------------------------------------------------

    @Override
    public int broadcast(String room, String event, Object data) {
        return broadcast(room, event, data, member -> true);
    }

    @Override
    public int broadcastExcept(String room, String event, Object data, Connection except) {
        return broadcast(room, event, data, member -> member != except);
    }

    @Override
    public int broadcastExceptUsers(String room, String event, Object data, Set<String> users) {
        return broadcast(room, event, data, member -> !users.contains(userOf(member)));
    }

    @Override
    public int broadcast(String room, String event, Object data, Predicate<Connection> filter) {
        RoomStore.StoredRoom stored = store.room(room).orElse(null);
        if (stored == null) {
            return 0;
        }
        String json = envelopes.toJson(data);
        int queued = 0;
        synchronized (lock(room)) {
            String frame = store.append(room, stored.config().historySize(),
                    offset -> envelopes.roomMessage(event, room, offset, json));
            for (DefaultConnection member : present.getOrDefault(room, Set.of())) {
                if (member.isOpen() && filter.test(member)) {
                    member.enqueueBroadcast(frame);
                    queued++;
                }
            }
        }
        return queued;
    }

    @Override
    public int sendToUser(String user, String event, Object data) {
        Set<Connection> connections = registry.byUser(user);
        if (connections.isEmpty()) {
            return 0;
        }
        String frame = envelopes.push(event, null, data);
        int queued = 0;
        for (Connection connection : connections) {
            if (connection instanceof DefaultConnection c && c.isOpen()) {
                c.enqueue(frame);
                queued++;
            }
        }
        return queued;
    }

    /**
     * A join or leave notice, only while the room has at most {@code covet.rooms.presence-notices-max} users:
     * beyond that, a join storm would cost a notice per member per join; clients ask {@code $presence} instead.
     */
    private void presenceNotice(String room, String event, Object data, DefaultConnection except) {
        if (users.getOrDefault(room, Map.of()).size() <= config.get().get(Settings.ROOMS_PRESENCE_NOTICES_MAX)) {
            notice(room, event, data, except);
        }
    }

    /** A system notice to a room's members, outside its history (joins, leaves, role changes). */
    private void notice(String room, String event, Object data, DefaultConnection except) {
        String frame = envelopes.push(event, room, data);
        for (DefaultConnection member : present.getOrDefault(room, Set.of())) {
            if (member != except && member.isOpen()) {
                member.enqueueBroadcast(frame);
            }
        }
    }

    // ---- queries -------------------------------------------------------------------------------------------

    @Override
    public Set<Connection> members(String room) {
        Set<DefaultConnection> members = present.get(room);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    @Override
    public Set<String> roomsOf(Connection connection) {
        return connection instanceof DefaultConnection c ? c.rooms() : Set.of();
    }

    @Override
    public Optional<RoomInfo> info(String room) {
        return store.since(room, Long.MAX_VALUE).map(history -> info(room, history.offset()));
    }

    private RoomInfo info(String room, long offset) {
        RoomStore.StoredRoom stored = store.room(room).orElseThrow(() ->
                new RoomException(ErrorCode.NOT_FOUND, "No room '" + room + "'"));
        return new RoomInfo(room, stored.config(), stored.owner(), stored.epoch(), offset,
                users.getOrDefault(room, Map.of()).size());
    }

    @Override
    public Map<String, RoomRole> presence(String room) {
        Map<String, RoomRole> roles = new TreeMap<>();
        for (String user : users.getOrDefault(room, Map.of()).keySet()) {
            roles.put(user, roleOf(room, user));
        }
        return Map.copyOf(roles);
    }

    /**
     * The messages of a room after an offset, for {@code $history}.
     *
     * @param room the room
     * @param since the last offset the client has
     * @return the history
     * @throws RoomException {@code not_found} when there is no such room
     */
    public RoomStore.History history(String room, long since) {
        return store.since(room, since).orElseThrow(() ->
                new RoomException(ErrorCode.NOT_FOUND, "No room '" + room + "'"));
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

    /**
     * @param room the room
     * @param user the user
     * @return whether the user has a connection in the room on this node
     */
    public boolean isPresent(String room, String user) {
        return users.getOrDefault(room, Map.of()).containsKey(user);
    }

    @Override
    public boolean mayPost(Connection connection, String room) {
        RoomStore.StoredRoom stored = store.room(room).orElse(null);
        return stored != null && roomsOf(connection).contains(room)
                && !store.restricted(room, "mute", "user:" + userOf(connection), Instant.now())
                && roleOf(room, connection).atLeast(stored.config().postPolicy());
    }

    // ---- governance ----------------------------------------------------------------------------------------

    @Override
    public RoomInfo create(String room, RoomConfig roomConfig, String owner) {
        checkName(room);
        if (!store.create(new RoomStore.StoredRoom(room, roomConfig, owner, newEpoch()))) {
            throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' exists");
        }
        if (owner != null) {
            store.role(room, owner, RoomRole.OWNER);
        }
        if (roomConfig.type() == RoomType.TEMPORARY) {
            emptySince.put(room, System.nanoTime());
        }
        events.select(RoomCreated.class).fire(new RoomCreated(room, roomConfig, owner));
        return info(room, 0);
    }

    private RoomStore.StoredRoom createDefault(String room) {
        CovetConfig settings = config.get();
        RoomConfig defaults = RoomConfig.of(RoomType.TEMPORARY, settings.get(Settings.ROOMS_MAX_MEMBERS),
                settings.get(Settings.ROOMS_HISTORY_SIZE));
        if (store.create(new RoomStore.StoredRoom(room, defaults, null, newEpoch()))) {
            events.select(RoomCreated.class).fire(new RoomCreated(room, defaults, null));
        }
        return stored(room);
    }

    @Override
    public boolean delete(String room) {
        List<DefaultConnection> removed = new ArrayList<>();
        boolean deleted;
        synchronized (lock(room)) {
            Set<DefaultConnection> members = present.remove(room);
            users.remove(room);
            if (members != null) {
                removed.addAll(members);
                members.forEach(member -> member.removeRoom(room));
            }
            emptySince.remove(room);
            deleted = store.delete(room);
            locks.remove(room);
        }
        String frame = envelopes.push("$room.deleted", room, new MemberNotice(room, null, null,
                reasonName(LeaveReason.ROOM_DELETED)));
        Set<String> told = new HashSet<>();
        for (DefaultConnection member : removed) {
            member.enqueue(frame);
            events.select(RoomLeft.class).fire(new RoomLeft(member, room, false));
            if (told.add(userOf(member))) {
                events.select(MemberLeft.class).fire(new MemberLeft(room, userOf(member), LeaveReason.ROOM_DELETED));
            }
        }
        if (deleted) {
            events.select(RoomDeleted.class).fire(new RoomDeleted(room));
        }
        return deleted;
    }

    @Override
    public void invite(String room, String user, Duration validFor) {
        RoomStore.StoredRoom stored = stored(room);
        if (stored.config().type() == RoomType.PRIVATE) {
            if (store.role(room, user).isEmpty()) {
                store.role(room, user, RoomRole.MEMBER);
            }
        } else {
            store.invite(room, user, validFor == null ? null : Instant.now().plus(validFor));
        }
        sendToUser(user, "$room.invited", new MemberNotice(room, user, null, null));
    }

    @Override
    public boolean kick(String room, String user) {
        return removeMatching(room, member -> userOf(member).equals(user), LeaveReason.KICKED) > 0;
    }

    @Override
    public void ban(String room, String subject, Duration duration) {
        stored(room);
        Predicate<DefaultConnection> matches = subjectMatcher(subject);
        store.restrict(room, "ban", subject, duration == null ? null : Instant.now().plus(duration));
        removeMatching(room, matches, LeaveReason.BANNED);
    }

    @Override
    public boolean unban(String room, String subject) {
        subjectMatcher(subject);
        return store.lift(room, "ban", subject);
    }

    @Override
    public void mute(String room, String user, Duration duration) {
        stored(room);
        store.restrict(room, "mute", "user:" + user, duration == null ? null : Instant.now().plus(duration));
    }

    @Override
    public boolean unmute(String room, String user) {
        return store.lift(room, "mute", "user:" + user);
    }

    @Override
    public void role(String room, String user, RoomRole role) {
        stored(room);
        RoomRole from = roleOf(room, user);
        store.role(room, user, role);
        if (from != role) {
            events.select(RoleChanged.class).fire(new RoleChanged(room, user, from, role));
            notice(room, "$room.role", new MemberNotice(room, user, role.wireName(), null), null);
        }
    }

    /** @return how many connections were removed */
    private int removeMatching(String room, Predicate<DefaultConnection> matches, LeaveReason reason) {
        List<DefaultConnection> matching = present.getOrDefault(room, Set.of()).stream().filter(matches).toList();
        int removed = 0;
        for (DefaultConnection member : matching) {
            if (leave(member, room, reason)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean banned(String room, DefaultConnection connection, Instant now) {
        if (store.restricted(room, "ban", "user:" + userOf(connection), now)) {
            return true;
        }
        String ip = ipOf(connection);
        return ip != null && store.restricted(room, "ban", "ip:" + ip, now);
    }

    private static Predicate<DefaultConnection> subjectMatcher(String subject) {
        if (subject != null && subject.startsWith("user:") && subject.length() > 5) {
            String user = subject.substring(5);
            return member -> userOf(member).equals(user);
        }
        if (subject != null && subject.startsWith("ip:") && subject.length() > 3) {
            String ip = subject.substring(3);
            return member -> ip.equals(ipOf(member));
        }
        throw new RoomException(ErrorCode.BAD_REQUEST, "A ban names 'user:<name>' or 'ip:<address>'");
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

    private static String ipOf(Connection connection) {
        return connection.remoteAddress().map(InetSocketAddress::getAddress).map(InetAddress::getHostAddress)
                .orElse(null);
    }

    private static String reasonName(LeaveReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private Object lock(String room) {
        return locks.computeIfAbsent(room, r -> new Object());
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Checks a room name: 1 to {@value #MAX_ROOM_NAME} characters, not blank, not starting with {@code $}.
     *
     * @param room the name
     * @return null when valid, else what is wrong
     */
    public static String nameProblem(String room) {
        if (room == null || room.isBlank()) {
            return "must not be blank";
        }
        if (room.length() > MAX_ROOM_NAME) {
            return "must be at most " + MAX_ROOM_NAME + " characters";
        }
        if (room.startsWith("$")) {
            return "must not start with '$'";
        }
        return null;
    }

    private static void checkName(String room) {
        String problem = nameProblem(room);
        if (problem != null) {
            throw new RoomException(ErrorCode.VALIDATION_FAILED, "Room name '" + room + "' " + problem);
        }
    }

    private static DefaultConnection member(Connection connection) {
        if (connection instanceof DefaultConnection c) {
            return c;
        }
        throw new IllegalArgumentException("Not a connection of this library: " + connection);
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
}
