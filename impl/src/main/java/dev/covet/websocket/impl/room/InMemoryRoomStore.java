package dev.covet.websocket.impl.room;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.spi.RoomStore;

/**
 * The default {@link RoomStore}: everything in this JVM, lost on restart. Thread-safe: each room's state is
 * guarded by its own monitor; history is a bounded ring of frames.
 */
@ApplicationScoped
public class InMemoryRoomStore implements RoomStore {

    /** Never expires; stands for a null expiry in the maps, which reject null values. */
    private static final Instant NEVER = Instant.MAX;

    private final Map<String, State> rooms = new ConcurrentHashMap<>();

    /** One room's stored state. */
    private static final class State {
        final StoredRoom room;
        final Map<String, RoomRole> roles = new ConcurrentHashMap<>();
        final Map<String, Instant> invitations = new ConcurrentHashMap<>();
        final Map<String, Instant> bans = new ConcurrentHashMap<>();
        final Map<String, Instant> mutes = new ConcurrentHashMap<>();
        final Deque<String> history = new ArrayDeque<>();
        long offset;

        State(StoredRoom room) {
            this.room = room;
        }

        Map<String, Instant> list(String name) {
            return switch (name) {
                case "ban" -> bans;
                case "mute" -> mutes;
                default -> throw new IllegalArgumentException("Unknown restriction list '" + name + "'");
            };
        }
    }

    @Override
    public boolean create(StoredRoom room) {
        return rooms.putIfAbsent(room.room(), new State(room)) == null;
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
        return rooms.remove(room) != null;
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
            state.invitations.put(user, expiresAt == null ? NEVER : expiresAt);
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
    public void restrict(String room, String list, String subject, Instant until) {
        State state = rooms.get(room);
        if (state != null) {
            state.list(list).put(subject, until == null ? NEVER : until);
        }
    }

    @Override
    public boolean lift(String room, String list, String subject) {
        State state = rooms.get(room);
        return state != null && state.list(list).remove(subject) != null;
    }

    @Override
    public boolean restricted(String room, String list, String subject, Instant now) {
        State state = rooms.get(room);
        if (state == null) {
            return false;
        }
        Map<String, Instant> entries = state.list(list);
        Instant until = entries.get(subject);
        if (until == null) {
            return false;
        }
        if (!now.isBefore(until)) {
            entries.remove(subject, until);
            return false;
        }
        return true;
    }

    @Override
    public String append(String room, int historySize, LongFunction<String> frame) {
        State state = rooms.get(room);
        if (state == null) {
            return frame.apply(0);
        }
        synchronized (state) {
            String made = frame.apply(++state.offset);
            if (historySize > 0) {
                state.history.addLast(made);
                while (state.history.size() > historySize) {
                    state.history.removeFirst();
                }
            }
            return made;
        }
    }

    @Override
    public Optional<History> since(String room, long after) {
        State state = rooms.get(room);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            long oldestKept = state.offset - state.history.size() + 1;
            boolean complete = after >= oldestKept - 1 && after <= state.offset;
            List<String> frames = new ArrayList<>();
            if (complete) {
                int skip = (int) (after - oldestKept + 1);
                int index = 0;
                for (String frame : state.history) {
                    if (index++ >= skip) {
                        frames.add(frame);
                    }
                }
            }
            return Optional.of(new History(state.room.epoch(), state.offset, complete, List.copyOf(frames)));
        }
    }
}
