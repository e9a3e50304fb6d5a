package dev.covet.websocket.impl.room;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import java.util.function.Supplier;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.RoomStore;

/**
 * The default {@link RoomStore}: everything in this JVM, lost on restart. Thread-safe.
 *
 * <p>History is bounded twice: per room by its history size, and across all rooms by
 * {@code covet.rooms.history-budget-bytes} (counted in characters), beyond which the oldest kept messages of any
 * room go first. One lock guards all history, so that the global bound can evict from any room; it is held for a
 * few list operations.
 */
public final class InMemoryRoomStore implements RoomStore {

    private final Map<String, State> rooms = new ConcurrentHashMap<>();
    private final Map<String, Integer> owned = new ConcurrentHashMap<>();
    private final Object historyLock = new Object();
    /** Every kept message of every room, oldest first (with lapsed entries until compaction). */
    private final Deque<Kept> kept = new ArrayDeque<>();
    private long keptChars;
    private long lapsed;
    private long maxChars = -1;

    private final Supplier<CovetConfig> config;

    /** @param config the deployment's configuration, read when first needed */
    public InMemoryRoomStore(Supplier<CovetConfig> config) {
        this.config = config;
    }

    /** One room's stored state. */
    private static final class State {
        final StoredRoom room;
        final Map<String, RoomRole> roles = new ConcurrentHashMap<>();
        final Map<String, Instant> invitations = new ConcurrentHashMap<>();
        final Map<Subject, Restricted> bans = new ConcurrentHashMap<>();
        final Map<Subject, Restricted> mutes = new ConcurrentHashMap<>();
        final Map<String, Long> recoveryFloors = new ConcurrentHashMap<>();
        /** Each present user's number of connections. */
        final Map<String, Integer> present = new ConcurrentHashMap<>();
        /** Guarded by the store's history lock. */
        final Deque<Kept> history = new ArrayDeque<>();
        long offset;

        State(StoredRoom room) {
            this.room = room;
        }

        Map<Subject, Restricted> list(Restriction kind) {
            return kind == Restriction.BAN ? bans : mutes;
        }
    }

    /** A kept message; {@code gone} once trimmed from its room, so the global list can skip it. */
    private static final class Kept {
        final Deque<Kept> room;
        final long offset;
        final String frame;
        boolean gone;

        Kept(Deque<Kept> room, long offset, String frame) {
            this.room = room;
            this.offset = offset;
            this.frame = frame;
        }
    }

    @Override
    public Created create(StoredRoom room, int maxPerOwner) {
        String owner = room.owner();
        synchronized (owned) {
            if (rooms.containsKey(room.room())) {
                return Created.EXISTS;
            }
            if (rooms.size() >= config.get().get(Settings.ROOMS_MAX)) {
                return Created.STORE_LIMIT;
            }
            if (owner == null) {
                rooms.put(room.room(), new State(room));
                return Created.CREATED;
            }
            if (owned.getOrDefault(owner, 0) >= maxPerOwner) {
                return Created.OWNER_LIMIT;
            }
            if (rooms.putIfAbsent(room.room(), new State(room)) != null) {
                return Created.EXISTS;
            }
            owned.merge(owner, 1, Integer::sum);
            return Created.CREATED;
        }
    }

    @Override
    public Optional<StoredRoom> room(String room) {
        State state = rooms.get(room);
        return state == null ? Optional.empty() : Optional.of(state.room);
    }

    @Override
    public Set<String> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    @Override
    public boolean delete(String room) {
        State state = rooms.remove(room);
        if (state == null) {
            return false;
        }
        if (state.room.owner() != null) {
            synchronized (owned) {
                owned.computeIfPresent(state.room.owner(), (o, n) -> n == 1 ? null : n - 1);
            }
        }
        synchronized (historyLock) {
            while (!state.history.isEmpty()) {
                drop(state.history.removeFirst());
            }
        }
        return true;
    }

    @Override
    public Optional<RoomRole> role(String room, String user) {
        State state = rooms.get(room);
        return state == null ? Optional.empty() : Optional.ofNullable(state.roles.get(user));
    }

    @Override
    public Map<String, RoomRole> roles(String room) {
        State state = rooms.get(room);
        return state == null ? Map.of() : Map.copyOf(state.roles);
    }

    @Override
    public void role(String room, String user, RoomRole role) {
        State state = rooms.get(room);
        if (state == null) {
            return;
        }
        if (role == null) {
            state.roles.remove(user);
        } else {
            state.roles.put(user, role);
        }
    }

    @Override
    public void invite(String room, String user, Instant expiresAt) {
        State state = rooms.get(room);
        if (state != null) {
            state.invitations.put(user, expiresAt == null ? Instant.MAX : expiresAt);
        }
    }

    @Override
    public boolean takeInvitation(String room, String user, Instant now) {
        State state = rooms.get(room);
        if (state == null) {
            return false;
        }
        Instant expires = state.invitations.remove(user);
        return expires != null && now.isBefore(expires);
    }

    @Override
    public void restrict(String room, Restriction kind, Restricted entry) {
        State state = rooms.get(room);
        if (state != null) {
            state.list(kind).put(entry.subject(), entry);
        }
    }

    @Override
    public boolean lift(String room, Restriction kind, Subject subject) {
        State state = rooms.get(room);
        return state != null && state.list(kind).remove(subject) != null;
    }

    @Override
    public boolean full(String room, Entries kind, int max, Instant now) {
        State state = rooms.get(room);
        if (state == null) {
            return false;
        }
        Map<?, ?> entries = switch (kind) {
            case ROLES -> state.roles;
            case INVITATIONS -> state.invitations;
            case BANS -> state.bans;
            case MUTES -> state.mutes;
            case FLOORS -> state.recoveryFloors;
        };
        if (entries.size() < max) {
            return false;
        }
        switch (kind) {
            case INVITATIONS -> state.invitations.values().removeIf(expires -> !now.isBefore(expires));
            case BANS, MUTES -> state.list(kind == Entries.BANS ? Restriction.BAN : Restriction.MUTE).values()
                    .removeIf(entry -> entry.until() != null && !now.isBefore(entry.until()));
            case FLOORS -> dropIdleFloors(state, now);
            case ROLES -> {
            }
        }
        return entries.size() >= max;
    }

    private void dropIdleFloors(State state, Instant now) {
        long offset;
        long oldestKept;
        synchronized (historyLock) {
            offset = state.offset;
            oldestKept = state.history.isEmpty() ? offset + 1 : state.history.peekFirst().offset;
        }
        for (Map.Entry<String, Long> floor : state.recoveryFloors.entrySet()) {
            Restricted ban = state.bans.get(Subject.user(floor.getKey()));
            boolean banned = ban != null && (ban.until() == null || now.isBefore(ban.until()));
            if (floor.getValue() == Long.MAX_VALUE && !banned) {
                // Not banned any more and not back: nothing before now may be recovered, as at a return now.
                floor.setValue(offset);
            }
            if (floor.getValue() <= oldestKept - 1) {
                state.recoveryFloors.remove(floor.getKey(), floor.getValue());
            }
        }
    }

    @Override
    public List<Restricted> restrictions(String room, Restriction kind, Collection<Subject> subjects, Instant now) {
        State state = rooms.get(room);
        if (state == null) {
            return List.of();
        }
        Map<Subject, Restricted> entries = state.list(kind);
        List<Restricted> inForce = new ArrayList<>(1);
        for (Subject subject : subjects) {
            Restricted entry = entries.get(subject);
            if (entry == null) {
                continue;
            }
            if (entry.until() != null && !now.isBefore(entry.until())) {
                entries.remove(subject, entry);
            } else {
                inForce.add(entry);
            }
        }
        return inForce;
    }

    @Override
    public Appended append(String room, String head, String tail) {
        State state = rooms.get(room);
        if (state == null) {
            return new Appended(0, head + 0 + tail);
        }
        int historySize = state.room.config().historySize();
        synchronized (historyLock) {
            String made = head + (++state.offset) + tail;
            if (historySize > 0) {
                Kept entry = new Kept(state.history, state.offset, made);
                state.history.addLast(entry);
                kept.addLast(entry);
                keptChars += made.length();
                while (state.history.size() > historySize) {
                    drop(state.history.removeFirst());
                }
                evictOverBudget();
            }
            return new Appended(state.offset, made);
        }
    }

    @Override
    public OptionalLong offset(String room) {
        State state = rooms.get(room);
        if (state == null) {
            return OptionalLong.empty();
        }
        synchronized (historyLock) {
            return OptionalLong.of(state.offset);
        }
    }

    @Override
    public Optional<History> since(String room, long after, int maxFrames, long maxChars) {
        State state = rooms.get(room);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (historyLock) {
            long oldestKept = state.history.isEmpty() ? state.offset + 1 : state.history.peekFirst().offset;
            boolean complete = after >= oldestKept - 1 && after <= state.offset;
            List<String> frames = new ArrayList<>();
            boolean more = false;
            if (after <= state.offset) {
                long chars = 0;
                for (Kept entry : state.history) {
                    if (entry.offset <= after) {
                        continue;
                    }
                    if (frames.size() == maxFrames || chars + entry.frame.length() > maxChars) {
                        more = true;
                        break;
                    }
                    frames.add(entry.frame);
                    chars += entry.frame.length();
                }
            }
            return Optional.of(new History(state.room.epoch(), state.offset, complete, List.copyOf(frames), more));
        }
    }

    @Override
    public void recoveryFloor(String room, String user, long offset) {
        State state = rooms.get(room);
        if (state != null) {
            state.recoveryFloors.put(user, offset);
        }
    }

    @Override
    public OptionalLong recoveryFloor(String room, String user) {
        State state = rooms.get(room);
        Long floor = state == null ? null : state.recoveryFloors.get(user);
        return floor == null ? OptionalLong.empty() : OptionalLong.of(floor);
    }

    @Override
    public int enter(String room, String node, String user) {
        State state = rooms.get(room);
        return state == null ? 0 : state.present.merge(user, 1, Integer::sum);
    }

    @Override
    public int exit(String room, String node, String user) {
        State state = rooms.get(room);
        if (state == null) {
            return 0;
        }
        Integer left = state.present.computeIfPresent(user, (u, count) -> count == 1 ? null : count - 1);
        return left == null ? 0 : left;
    }

    @Override
    public Set<String> present(String room) {
        State state = rooms.get(room);
        return state == null ? Set.of() : Set.copyOf(state.present.keySet());
    }

    @Override
    public int presentCount(String room) {
        State state = rooms.get(room);
        return state == null ? 0 : state.present.size();
    }

    @Override
    public boolean isPresent(String room, String user) {
        State state = rooms.get(room);
        return state != null && state.present.containsKey(user);
    }

    @Override
    public Set<String> roomsOf(String node) {
        Set<String> occupied = new java.util.HashSet<>();
        rooms.forEach((room, state) -> {
            if (!state.present.isEmpty()) {
                occupied.add(room);
            }
        });
        return occupied;
    }

    @Override
    public Set<String> resync(String room, String node, Map<String, Integer> connections) {
        State state = rooms.get(room);
        if (state == null) {
            return Set.of();
        }
        Set<String> left = new java.util.HashSet<>(state.present.keySet());
        left.removeAll(connections.keySet());
        left.forEach(state.present::remove);
        connections.forEach((user, count) -> state.present.put(user, count));
        return left;
    }

    /** Called with the history lock held. */
    private void drop(Kept entry) {
        entry.gone = true;
        keptChars -= entry.frame.length();
        lapsed++;
        if (lapsed > 1024 && lapsed > kept.size() / 2) {
            kept.removeIf(k -> k.gone);
            lapsed = 0;
        }
    }

    /** Called with the history lock held: the oldest messages of any room go first. */
    private void evictOverBudget() {
        if (maxChars < 0) {
            maxChars = config.get().get(Settings.ROOMS_HISTORY_BUDGET_BYTES);
        }
        while (keptChars > maxChars && !kept.isEmpty()) {
            Kept oldest = kept.removeFirst();
            if (oldest.gone) {
                lapsed--;
                continue;
            }
            // The oldest kept message overall is always the oldest of its room.
            oldest.room.removeFirst();
            oldest.gone = true;
            keptChars -= oldest.frame.length();
        }
    }
}
