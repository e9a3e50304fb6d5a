package dev.covet.websocket.impl.room;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.room.LeaveReason;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.ClusterBus;
import dev.covet.websocket.spi.RoomStore;

/**
 * A node's side of every room that has members here: it subscribes to the room on the {@link ClusterBus} before a
 * connection joins, delivers the room's messages to the local members in offset order whichever node sent them,
 * fills a gap in the offsets from the store's history (or tells the members with {@code $room.gap} when history no
 * longer holds it), and carries pushes and moderation to the other nodes. With the single-node bus nothing arrives
 * from elsewhere and it only keeps the offset of the last message delivered.
 *
 * <p>Methods documented "under the room's lock" are called with {@link RoomLocks#of} held; {@link #received} takes
 * the lock itself. Nothing here waits for the bus while holding a room's lock.
 */
final class RoomFeed implements ClusterBus.Receiver {

    private static final System.Logger LOG = System.getLogger(RoomFeed.class.getName());

    /** What a node does with the signals that are not deliveries; implemented by the rooms facade. */
    interface Remote {

        /** Removes the local connections a kick or ban on another node named. */
        void remove(String room, Subject subject, LeaveReason reason, RoomRole setBy);

        /** Removes the local members of a room deleted on another node. */
        void deleted(String room);

        /** Queues a frame for the local connections of a user. */
        void toUser(String user, String frame);

        /** Closes the local connections of a user. */
        void disconnect(String user, int code, String reason);

        /** Announces users no longer present anywhere because a node was lost or presence was restored. */
        void lost(String room, Set<String> users);

        /**
         * After this node may have missed what other nodes published about a room: applies a deletion or bans
         * recorded meanwhile to the connections here (a kick leaves no record; it is lost with the publication).
         */
        void recheck(String room);
    }

    private final RoomStore store;
    private final ClusterBus bus;
    private final Presence presence;
    private final RoomLocks locks;
    private final Envelopes envelopes;
    private Remote remote;
    private ScheduledExecutorService maintenance;
    /** Per room with local members, the offset of the last message delivered to them; changed under the lock. */
    private final Map<String, Long> delivered = new ConcurrentHashMap<>();
    /** Per room, joins between subscribing and being present; changed under the lock. */
    private final Map<String, Integer> joining = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    /** Rooms whose catching up after a reconnection failed (the store was unreachable); retried by the sweep. */
    private final Set<String> behind = ConcurrentHashMap.newKeySet();
    final LongAdder gapsFilled = new LongAdder();
    final LongAdder gapsReported = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder publishFailures = new LongAdder();

    RoomFeed(RoomStore store, ClusterBus bus, Presence presence, RoomLocks locks, Envelopes envelopes) {
        this.store = store;
        this.bus = bus;
        this.presence = presence;
        this.locks = locks;
        this.envelopes = envelopes;
    }

    /**
     * Starts receiving from the other nodes; in a cluster, first clears what a previous run of this node left in the
     * store's presence, and starts the maintenance: lost nodes, rooms left behind, unused subscriptions.
     */
    void start(Remote handler) {
        this.remote = handler;
        if (bus.state() == ClusterBus.State.LOCAL) {
            bus.start(this);
            return;
        }
        bus.start(this);
        try {
            store.roomsOf(bus.nodeId()).forEach(this::restorePresence);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not clear this node''s earlier presence: {0}", e.toString());
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "covet-cluster-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        maintenance.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
    }

    /** Stops the maintenance. */
    void stop() {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
    }

    private void maintain() {
        try {
            for (String lost : bus.lostNodes()) {
                LOG.log(System.Logger.Level.WARNING, "Cluster node {0} is lost; clearing its presence", lost);
                for (String room : store.roomsOf(lost)) {
                    Set<String> left;
                    synchronized (locks.of(room)) {
                        left = store.resync(room, lost, Map.of());
                    }
                    if (!left.isEmpty()) {
                        remote.lost(room, left);
                    }
                }
            }
            behind.forEach(this::catchUp);
            sweep();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cluster maintenance postponed: {0}", e.toString());
        }
    }

    /** Makes this node's presence in a room in the store what it is here, announcing users no longer present. */
    private void restorePresence(String room) {
        Set<String> left;
        synchronized (locks.of(room)) {
            left = store.resync(room, bus.nodeId(), presence.usersHere(room));
        }
        if (!left.isEmpty()) {
            remote.lost(room, left);
        }
    }

    /** @return this node's id */
    String node() {
        return bus.nodeId();
    }

    /** @return the cluster figures of {@link dev.covet.websocket.CovetStats.Snapshot} */
    dev.covet.websocket.CovetStats.Cluster stats() {
        ClusterBus.State state = bus.state();
        String name = state == ClusterBus.State.UP && !behind.isEmpty() ? "degraded"
                : state.name().toLowerCase(java.util.Locale.ROOT);
        return new dev.covet.websocket.CovetStats.Cluster(bus.nodeId(), name, bus.reconnects(), bus.lastError(),
                gapsFilled.sum(), gapsReported.sum(), malformed.sum(), publishFailures.sum());
    }

    // ---- subscriptions ---------------------------------------------------------------------------------------

    /**
     * Outside any room lock, before a join: makes sure this node receives the room's messages. Every call is
     * followed by {@link #joined} under the room's lock, whatever happens.
     *
     * @param room the room
     */
    void joining(String room) {
        synchronized (locks.of(room)) {
            joining.merge(room, 1, Integer::sum);
        }
        subscribed.add(room);
        bus.subscribe(room);
    }

    /** Under the room's lock: the join that called {@link #joining} is done, or was refused. */
    void joined(String room) {
        joining.computeIfPresent(room, (r, count) -> count == 1 ? null : count - 1);
    }

    /**
     * Under the room's lock: a connection became present here; the first one starts the offset tracking, later
     * ones first catch up with what other nodes stored meanwhile, so that a recovering joiner and the members agree.
     *
     * @return the offset of the last message delivered here: the joiner receives what follows
     */
    long present(String room) {
        Long last = delivered.get(room);
        if (last == null) {
            long head = store.offset(room).orElse(0);
            delivered.put(room, head);
            return head;
        }
        return catchUp(room, last);
    }

    /** Under the room's lock: nobody is present here any more. */
    void absent(String room) {
        delivered.remove(room);
    }

    /** Drops the subscriptions of rooms nobody here is in or joining. */
    private void sweep() {
        for (String room : subscribed) {
            synchronized (locks.of(room)) {
                if (presence.isEmpty(room) && !joining.containsKey(room)) {
                    subscribed.remove(room);
                    bus.unsubscribe(room);
                }
            }
        }
    }

    // ---- delivery --------------------------------------------------------------------------------------------

    /**
     * Under the room's lock: delivers a durable message to the local members, after any message before it that
     * they have not had yet; a message they already had is ignored.
     *
     * @return how many members it was queued for
     */
    int deliver(String room, long offset, String frame) {
        Long last = delivered.get(room);
        if (last == null || offset <= last) {
            return 0;
        }
        if (offset > last + 1) {
            fill(room, last, offset - 1);
        }
        delivered.put(room, offset);
        return presence.deliver(room, frame, member -> true, true);
    }

    /**
     * Under the room's lock: delivers what other nodes stored since the last delivery here.
     *
     * @return the offset delivered up to
     */
    private long catchUp(String room, long last) {
        long head = store.offset(room).orElse(last);
        if (head > last) {
            fill(room, last, head);
            return head;
        }
        return last;
    }

    /** Under the room's lock: delivers messages after {@code last} up to {@code upTo} from history, or a gap. */
    private void fill(String room, long last, long upTo) {
        int missing = (int) Math.min(upTo - last, Integer.MAX_VALUE);
        RoomStore.History history = store.since(room, last, missing, Long.MAX_VALUE).orElse(null);
        long next = last + 1;
        if (history != null && history.complete()) {
            for (String frame : history.frames()) {
                if (next > upTo) {
                    break;
                }
                presence.deliver(room, frame, member -> true, true);
                next++;
            }
        }
        if (next <= upTo) {
            gapsReported.increment();
            LOG.log(System.Logger.Level.WARNING, "Room {0}: messages {1}..{2} were lost between nodes and are no "
                    + "longer in history; members were sent $room.gap", room, next, upTo);
            presence.deliver(room, envelopes.push("$room.gap", room, new Notices.Gap(room, next, upTo)), member -> true,
                    false);
        } else {
            gapsFilled.increment();
        }
        delivered.put(room, upTo);
    }

    /**
     * Delivers an ephemeral frame to this node's members that pass a filter, and to the other nodes' members but
     * the users named.
     *
     * @return how many members here it was queued for
     */
    int push(String room, String frame, Predicate<? super DefaultConnection> local, Set<String> exceptUsers) {
        int queued;
        synchronized (locks.of(room)) {
            queued = presence.deliver(room, frame, local, true);
        }
        publish(room, Signal.Kind.PUSH, List.copyOf(exceptUsers), frame);
        return queued;
    }

    /** Sends a signal to the other nodes in a room, or to every other node ({@code room} null). */
    void publish(String room, Signal.Kind kind, List<String> args, String frame) {
        if (bus.state() == ClusterBus.State.LOCAL) {
            return;
        }
        if (!bus.publish(room, Signal.of(kind, bus.nodeId(), args, frame).encode())) {
            publishFailures.increment();
        }
    }

    // ---- from the other nodes --------------------------------------------------------------------------------

    @Override
    public void received(String room, String message) {
        try {
            Signal signal = Signal.parse(message);
            if (signal.origin().equals(bus.nodeId())) {
                return;
            }
            if (!signal.frame().isEmpty() && !(signal.frame().startsWith("{") && signal.frame().endsWith("}"))) {
                throw new IllegalArgumentException("not a JSON object frame");
            }
            dispatch(room, signal);
        } catch (RuntimeException e) {
            malformed.increment();
            LOG.log(System.Logger.Level.DEBUG, () -> "Dropped a malformed cluster message for "
                    + (room == null ? "every node" : "room " + room) + ": " + e);
        }
    }

    private void dispatch(String room, Signal signal) {
        if (signal.kind() != Signal.Kind.USER && signal.kind() != Signal.Kind.DISCONNECT && room == null) {
            throw new IllegalArgumentException(signal.kind() + " without a room");
        }
        switch (signal.kind()) {
            case MESSAGE -> {
                long offset = signal.offset();
                synchronized (locks.of(room)) {
                    deliver(room, offset, signal.frame());
                }
            }
            case PUSH -> {
                Set<String> except = Set.copyOf(signal.strings());
                synchronized (locks.of(room)) {
                    presence.deliver(room, signal.frame(), member -> except.isEmpty()
                            || !except.contains(LocalRooms.userOf(member)), true);
                }
            }
            case USER -> remote.toUser(strings(signal, 1).get(0), signal.frame());
            case DISCONNECT -> {
                List<String> args = strings(signal, 3);
                remote.disconnect(args.get(0), Integer.parseInt(args.get(1)), args.get(2));
            }
            case REMOVE -> {
                List<String> args = strings(signal, 4);
                remote.remove(room, new Subject(Subject.Kind.valueOf(args.get(0)), args.get(1)),
                        LeaveReason.valueOf(args.get(2)), args.get(3).isEmpty() ? null : RoomRole.valueOf(args.get(3)));
            }
            case DELETED -> remote.deleted(room);
            default -> throw new IllegalArgumentException(signal.kind().name());
        }
    }

    private static List<String> strings(Signal signal, int expected) {
        List<String> args = signal.strings();
        if (args.size() != expected) {
            throw new IllegalArgumentException(expected + " arguments expected, " + args.size() + " found");
        }
        return args;
    }

    @Override
    public void resubscribed() {
        try {
            Set<String> rooms = new java.util.HashSet<>(store.roomsOf(bus.nodeId()));
            rooms.addAll(delivered.keySet());
            rooms.forEach(this::restorePresence);
            delivered.keySet().forEach(remote::recheck);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Restoring presence postponed: {0}", e.toString());
        }
        behind.addAll(delivered.keySet());
        behind.forEach(this::catchUp);
    }

    /** Delivers what a room's members here missed while the bus was down; on failure the room stays behind. */
    private void catchUp(String room) {
        try {
            synchronized (locks.of(room)) {
                Long last = delivered.get(room);
                if (last != null) {
                    catchUp(room, last);
                }
            }
            behind.remove(room);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Room " + room + " stays behind for now: " + e);
        }
    }
}
