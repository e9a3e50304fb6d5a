package dev.covet.websocket.impl.room;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.covet.websocket.Connection;
import dev.covet.websocket.RoomJoined;
import dev.covet.websocket.RoomLeft;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * Rooms held in this node's memory: membership maps and broadcast that serializes once per call.
 *
 * <p>Application-scoped and thread-safe. A room exists while it has members: the last leave removes it
 * atomically with the membership change, so a concurrent join never lands in a discarded set.
 */
@ApplicationScoped
public class LocalRooms implements Rooms {

    /** Longest room name, in characters. */
    public static final int MAX_ROOM_NAME = 128;

    private static final System.Logger LOG = System.getLogger(LocalRooms.class.getName());

    private final Map<String, Set<DefaultConnection>> rooms = new ConcurrentHashMap<>();

    @Inject
    Envelopes envelopes;

    @Inject
    Event<Object> events;

    @Override
    public boolean join(Connection connection, String room) {
        DefaultConnection member = member(connection);
        checkName(room);
        AtomicBoolean added = new AtomicBoolean();
        rooms.compute(room, (name, members) -> {
            Set<DefaultConnection> set = members == null ? ConcurrentHashMap.newKeySet() : members;
            added.set(set.add(member));
            return set;
        });
        if (!added.get()) {
            return false;
        }
        member.addRoom(room);
        if (!member.isOpen()) {
            // Closed while joining: leaveAll may have run without this room. Undo quietly; RoomJoined never fired.
            remove(member, room);
            return false;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} joined room {1}", member, room);
        events.select(RoomJoined.class).fire(new RoomJoined(member, room));
        return true;
    }

    @Override
    public boolean leave(Connection connection, String room) {
        return leave(member(connection), room, false);
    }

    /**
     * Removes a closed connection from all its rooms, firing {@link RoomLeft} with {@code disconnected=true}.
     *
     * @param connection the closed connection
     */
    public void leaveAll(DefaultConnection connection) {
        for (String room : connection.rooms()) {
            leave(connection, room, true);
        }
    }

    private boolean leave(DefaultConnection member, String room, boolean disconnected) {
        boolean removed = remove(member, room);
        if (removed) {
            LOG.log(System.Logger.Level.DEBUG, "{0} left room {1}", member, room);
            events.select(RoomLeft.class).fire(new RoomLeft(member, room, disconnected));
        }
        return removed;
    }

    /** Removes the membership; the room disappears with its last member, atomically. */
    private boolean remove(DefaultConnection member, String room) {
        AtomicBoolean removed = new AtomicBoolean();
        rooms.computeIfPresent(room, (name, members) -> {
            removed.set(members.remove(member));
            return members.isEmpty() ? null : members;
        });
        member.removeRoom(room);
        return removed.get();
    }

    @Override
    public int broadcast(String room, String event, Object data) {
        return broadcastExcept(room, event, data, null);
    }

    @Override
    public int broadcastExcept(String room, String event, Object data, Connection except) {
        Set<DefaultConnection> members = rooms.get(room);
        if (members == null || members.isEmpty()) {
            return 0;
        }
        String frame = envelopes.push(event, room, data);
        int queued = 0;
        for (DefaultConnection member : members) {
            if (member != except && member.isOpen()) {
                member.enqueueBroadcast(frame);
                queued++;
            }
        }
        return queued;
    }

    @Override
    public Set<Connection> members(String room) {
        Set<DefaultConnection> members = rooms.get(room);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    @Override
    public Set<String> roomsOf(Connection connection) {
        return connection instanceof DefaultConnection c ? c.rooms() : Set.of();
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
            throw new IllegalArgumentException("Room name '" + room + "' " + problem);
        }
    }

    private static DefaultConnection member(Connection connection) {
        if (connection instanceof DefaultConnection c) {
            return c;
        }
        throw new IllegalArgumentException("Not a connection of this library: " + connection);
    }
}
