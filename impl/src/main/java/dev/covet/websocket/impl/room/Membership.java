package dev.covet.websocket.impl.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.event.Event;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.room.LeaveReason;
import dev.covet.websocket.room.MemberJoined;
import dev.covet.websocket.room.MemberLeft;
import dev.covet.websocket.room.RoomDeleted;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.spi.RoomStore;

/**
 * Who is in which room, changed under each room's lock: joins (checked by {@link Admission}, with recovery),
 * leaves, removals by moderation, and the events and notices that follow, fired after the lock is released. The
 * temporary-room reaper deletes through it, so that a deletion never races a join.
 */
final class Membership {

    private static final System.Logger LOG = System.getLogger(Membership.class.getName());

    private final LocalRooms rooms;
    private final RoomCreation creation;
    private final RoomStore store;
    private final Envelopes envelopes;
    private final Event<Object> events;
    private final Supplier<CovetConfig> config;
    private final RoomLocks locks;
    private final Presence presence;
    private final TemporaryRooms temporary;
    private final Admission admission;
    private final RoomFeed feed;

    Membership(LocalRooms rooms, RoomCreation creation, RoomStore store, Envelopes envelopes, Event<Object> events,
               Supplier<CovetConfig> config, RoomLocks locks, Presence presence, TemporaryRooms temporary,
               Admission admission, RoomFeed feed) {
        this.rooms = rooms;
        this.creation = creation;
        this.store = store;
        this.envelopes = envelopes;
        this.events = events;
        this.config = config;
        this.locks = locks;
        this.presence = presence;
        this.temporary = temporary;
        this.admission = admission;
        this.feed = feed;
    }

    /** @return the room's lock, for moderation that removes members atomically with recording a ban */
    Object lock(String room) {
        return locks.of(room);
    }

    /** Server code's join: no admission checks. */
    boolean join(DefaultConnection member, String room) {
        RoomNames.check(room);
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (store.room(room).isEmpty()) {
                creation.createDefault(room);
            }
            Entered entered;
            RoomRole role;
            feed.joining(room);
            synchronized (locks.of(room)) {
                try {
                    if (!member.isOpen()) {
                        return false;
                    }
                    if (store.room(room).isEmpty()) {
                        continue;
                    }
                    role = rooms.roleOf(room, member);
                    entered = enterLocked(room, member);
                    temporary.occupied(room);
                } finally {
                    feed.joined(room);
                }
            }
            return announceJoin(member, room, role, entered);
        }
        return false;
    }

    /**
     * A client's {@code $room.join}: creates an unknown room when {@code covet.rooms.auto-create} allows, then
     * checks bans, room type and limits and joins, atomically under the room's lock; with {@code since} and
     * {@code epoch} it recovers missed messages.
     *
     * @param connection the joining connection
     * @param room the room
     * @param since the last offset the client has, or null
     * @param epoch the epoch that offset belongs to, or null
     * @return the outcome; recovered messages and the join's own consequences (events, notices, what observers
     *     broadcast) are already queued, so the caller's reply comes last
     * @throws RoomException when refused
     */
    LocalRooms.Joined joinChecked(DefaultConnection connection, String room, Long since, String epoch) {
        RoomNames.check(room);
        CovetConfig settings = config.get();
        // A temporary room may be deleted (its grace ran out) between finding it and taking its lock: then it is
        // created afresh and joined, as if the join had come a moment later.
        for (int attempt = 1; ; attempt++) {
            if (store.room(room).isEmpty()) {
                if (!settings.get(Settings.ROOMS_AUTO_CREATE)) {
                    throw new RoomException(ErrorCode.NOT_FOUND, "No room '" + room + "'");
                }
                creation.createDefault(room);
            }
            LocalRooms.Joined joined = joinExisting(connection, room, since, epoch, settings, attempt < 3);
            if (joined != null) {
                return joined;
            }
        }
    }

    /** @return the outcome, or null when the room was deleted meanwhile and {@code retry} allows another try */
    private LocalRooms.Joined joinExisting(DefaultConnection connection, String room, Long since, String epoch,
                                           CovetConfig settings, boolean retry) {
        String user = LocalRooms.userOf(connection);
        LocalRooms.Joined joined;
        Entered entered;
        feed.joining(room);
        synchronized (locks.of(room)) {
            try {
                RoomStore.StoredRoom stored = store.room(room).orElse(null);
                if (stored == null) {
                    if (retry) {
                        return null;
                    }
                    throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' was deleted while joining");
                }
                if (!connection.isOpen()) {
                    throw new RoomException(ErrorCode.CONFLICT, "The connection is closing");
                }
                RoomRole role = rooms.roleOf(room, user);
                admission.admit(connection, stored, user, role, settings);
                entered = enterLocked(room, connection);
                temporary.occupied(room);
                long floor = admission.readmitted(room, user);
                joined = recover(connection, stored, role, since, epoch, floor, entered.offset(), settings);
            } finally {
                feed.joined(room);
            }
        }
        announceJoin(connection, room, joined.role(), entered);
        return joined;
    }

    /**
     * What adding a connection to a room changed.
     *
     * @param added false when it was already present
     * @param firstOfUser whether its user became present (had no other connection there, on any node)
     * @param offset the last offset delivered to this node's members: the joiner receives what follows
     */
    record Entered(boolean added, boolean firstOfUser, long offset) {
    }

    /**
     * Under the room's lock: adds a connection to the room, here and in the store's presence. This node first
     * catches up with messages other nodes stored meanwhile, for the members already here.
     */
    private Entered enterLocked(String room, DefaultConnection member) {
        long offset = feed.present(room);
        if (!presence.add(room, member)) {
            return new Entered(false, false, offset);
        }
        return new Entered(true, store.enter(room, feed.node(), LocalRooms.userOf(member)) == 1, offset);
    }

    /**
     * Under the room's lock: queues the missed messages when they can all be recovered, up to the offset delivered
     * on this node (what follows arrives as the room's messages).
     */
    private LocalRooms.Joined recover(DefaultConnection member, RoomStore.StoredRoom stored, RoomRole role,
                                      Long since, String epoch, long floor, long offset, CovetConfig settings) {
        String room = stored.room();
        if (since == null) {
            return new LocalRooms.Joined(rooms.info(stored, offset), role, null);
        }
        long missed = offset - since;
        boolean recovered = false;
        if (missed >= 0 && missed <= settings.get(Settings.OUTBOUND_MAX_MESSAGES) / 2 && since >= floor) {
            RoomStore.History history = store.since(room, since, (int) missed,
                    settings.get(Settings.OUTBOUND_MAX_BYTES) / 2).orElseThrow();
            recovered = history.complete() && history.epoch().equals(epoch) && history.frames().size() == missed;
            if (recovered) {
                history.frames().forEach(member::enqueue);
            }
        }
        return new LocalRooms.Joined(rooms.info(stored, offset), role, recovered);
    }

    private boolean announceJoin(DefaultConnection member, String room, RoomRole role, Entered entered) {
        if (!entered.added()) {
            return false;
        }
        if (!member.isOpen()) {
            // Closed while joining: leaveAll may have run without this room. Undo quietly; nothing was announced.
            synchronized (locks.of(room)) {
                removeLocked(member, room);
            }
            return false;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} joined room {1}", member, room);
        String user = LocalRooms.userOf(member);
        events.select(MemberJoined.class).fire(new MemberJoined(room, user, role, member, entered.firstOfUser()));
        if (entered.firstOfUser()) {
            presenceNotice(room, "$room.joined", new Notices.MemberNotice(room, user, role.wireName(), null),
                    member);
        }
        return true;
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
    boolean whilePresent(DefaultConnection connection, String room, Runnable action) {
        synchronized (locks.of(room)) {
            if (!connection.rooms().contains(room)) {
                return false;
            }
            action.run();
            return true;
        }
    }

    boolean leave(DefaultConnection member, String room) {
        Departure departure;
        synchronized (locks.of(room)) {
            departure = removeLocked(member, room);
        }
        return announce(departure, LeaveReason.LEFT);
    }

    /**
     * Removes a closing connection from all its rooms, firing {@link MemberLeft} with reason {@code DISCONNECTED}.
     *
     * @param connection the closing connection
     */
    void leaveAll(DefaultConnection connection) {
        for (String room : connection.rooms()) {
            try {
                Departure departure;
                synchronized (locks.of(room)) {
                    departure = removeLocked(connection, room);
                }
                announce(departure, LeaveReason.DISCONNECTED);
            } catch (RoomException e) {
                // The store is out of reach: the connection has left here; the node resynchronizes its presence in
                // the store when the store is back (see RoomFeed#resubscribed).
                LOG.log(System.Logger.Level.DEBUG, "{0} left room {1} while the room store was unavailable",
                        connection, room);
            }
        }
    }

    /** Who left a room, for the announcements made after the lock is released. */
    record Departure(DefaultConnection member, String room, String user, boolean lastOfUser) {
    }

    /**
     * Removes a membership; called under the room's lock.
     *
     * @return what to announce, or null when the connection was not present
     */
    Departure removeLocked(DefaultConnection member, String room) {
        return removeLocked(member, room, null);
    }

    /**
     * Removes a membership by a kick or ban; called under the room's lock. The removed connection's
     * {@code $room.left} is queued here, so that it precedes anything queued for that room afterwards.
     *
     * @return what to announce, or null when the connection was not present
     */
    Departure removeLocked(DefaultConnection member, String room, LeaveReason removal) {
        String user = LocalRooms.userOf(member);
        if (!presence.remove(room, member)) {
            return null;
        }
        boolean last = store.exit(room, feed.node(), user) == 0;
        if (removal != null) {
            member.enqueue(envelopes.push("$room.left", room, new Notices.MemberNotice(room, user, null,
                    LocalRooms.reasonName(removal))));
        }
        if (presence.isEmpty(room)) {
            feed.absent(room);
            if (store.presentCount(room) == 0) {
                store.room(room).filter(r -> r.config().type() == RoomType.TEMPORARY)
                        .ifPresent(r -> temporary.empty(room));
            }
        }
        return new Departure(member, room, user, last);
    }

    /** Fires the events and notices of a departure; outside the room's lock. */
    boolean announce(Departure departure, LeaveReason reason) {
        if (departure == null) {
            return false;
        }
        DefaultConnection member = departure.member();
        String room = departure.room();
        LOG.log(System.Logger.Level.DEBUG, "{0} left room {1} ({2})", member, room, reason);
        events.select(MemberLeft.class).fire(new MemberLeft(room, departure.user(), reason, member,
                departure.lastOfUser()));
        if (departure.lastOfUser()) {
            presenceNotice(room, "$room.left", new Notices.MemberNotice(room, departure.user(), null,
                    LocalRooms.reasonName(reason)), null);
        }
        if (temporary.isEmpty(room) && config.get().get(Settings.ROOMS_TEMPORARY_GRACE).isZero()) {
            deleteIfStillEmpty(room);
        }
        return true;
    }

    /**
     * Announces users no longer present because their node was lost: {@link MemberLeft} without a connection and
     * the {@code $room.left} notice, once, on the node that found out.
     */
    void lost(String room, Set<String> users) {
        for (String user : users) {
            LOG.log(System.Logger.Level.DEBUG, "{0} left room {1} with a lost node", user, room);
            events.select(MemberLeft.class).fire(new MemberLeft(room, user, LeaveReason.DISCONNECTED, null, true));
            presenceNotice(room, "$room.left", new Notices.MemberNotice(room, user, null,
                    LocalRooms.reasonName(LeaveReason.DISCONNECTED)), null);
        }
        if (store.presentCount(room) == 0 && presence.isEmpty(room)) {
            store.room(room).filter(r -> r.config().type() == RoomType.TEMPORARY).ifPresent(r -> temporary.empty(room));
        }
    }

    /** Under the room's lock: forgets a deleted room on this node, returning who was present here. */
    Set<DefaultConnection> removeAllLocked(String room) {
        Set<DefaultConnection> removed = presence.removeAll(room);
        feed.absent(room);
        temporary.occupied(room);
        return removed;
    }

    /** Tells the connections that were in a deleted room, and fires {@link MemberLeft} for each. */
    void announceDeleted(String room, Set<DefaultConnection> removed) {
        String frame = envelopes.push("$room.deleted", room, new Notices.MemberNotice(room, null, null,
                LocalRooms.reasonName(LeaveReason.ROOM_DELETED)));
        Map<String, Integer> remaining = new HashMap<>();
        removed.forEach(member -> remaining.merge(LocalRooms.userOf(member), 1, Integer::sum));
        for (DefaultConnection member : removed) {
            member.enqueue(frame);
            String user = LocalRooms.userOf(member);
            boolean last = remaining.merge(user, -1, Integer::sum) == 0;
            events.select(MemberLeft.class).fire(new MemberLeft(room, user, LeaveReason.ROOM_DELETED, member, last));
        }
    }

    /** A room deleted on another node (or found gone after an outage): removes its members here. */
    void deletedElsewhere(String room) {
        Set<DefaultConnection> removed;
        synchronized (locks.of(room)) {
            removed = removeAllLocked(room);
            locks.forget(room);
        }
        announceDeleted(room, removed);
    }

    /** @return whether the store still has the room */
    boolean exists(String room) {
        return store.room(room).isPresent();
    }

    void deleteIfStillEmpty(String room) {
        boolean deleted = false;
        synchronized (locks.of(room)) {
            if (temporary.isEmpty(room) && presence.isEmpty(room) && store.presentCount(room) == 0) {
                temporary.occupied(room);
                deleted = store.delete(room);
                locks.forget(room);
            }
        }
        if (deleted) {
            feed.publish(room, Signal.Kind.DELETED, List.of(), null);
            LOG.log(System.Logger.Level.DEBUG, "Deleted empty temporary room {0}", room);
            events.select(RoomDeleted.class).fire(new RoomDeleted(room));
        }
    }

    /**
     * A join or leave notice, only while the room has at most {@code covet.rooms.presence-notices-max} users:
     * beyond that, a join storm would cost a notice per member per join; clients ask {@code $presence} instead.
     */
    private void presenceNotice(String room, String event, Object data, DefaultConnection except) {
        if (store.presentCount(room) <= config.get().get(Settings.ROOMS_PRESENCE_NOTICES_MAX)) {
            notice(room, event, data, except);
        }
    }

    /** A system notice to a room's members, outside its history (joins, leaves, role changes). */
    void notice(String room, String event, Object data, DefaultConnection except) {
        feed.push(room, envelopes.push(event, room, data), member -> member != except, Set.of());
    }
}
