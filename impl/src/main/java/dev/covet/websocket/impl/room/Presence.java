package dev.covet.websocket.impl.room;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import dev.covet.websocket.Connection;
import dev.covet.websocket.CovetStats;
import dev.covet.websocket.impl.connection.DefaultConnection;

/**
 * Which connections are present in which room on this node, and delivery of ready frames to them. Node-local by
 * nature: a connection lives on one node; which users are present, on all nodes, is the store's. Changes are made under the room's lock (held by the caller), so delivery in one
 * room follows the order of its messages; reads are lock-free snapshots.
 */
final class Presence {

    private final Map<String, Here> present = new ConcurrentHashMap<>();

    /** A room's members on this node, and its figures since it has had members here. */
    private static final class Here {
        final Set<DefaultConnection> members = ConcurrentHashMap.newKeySet();
        final LongAdder messages = new LongAdder();
        final LongAdder deliveries = new LongAdder();
        final LongAdder dropped = new LongAdder();
    }

    /**
     * Called under the room's lock.
     *
     * @return false when the connection was already present
     */
    boolean add(String room, DefaultConnection member) {
        if (!present.computeIfAbsent(room, r -> new Here()).members.add(member)) {
            return false;
        }
        member.addRoom(room);
        return true;
    }

    /**
     * Called under the room's lock.
     *
     * @return whether the connection was present
     */
    boolean remove(String room, DefaultConnection member) {
        member.removeRoom(room);
        Here here = present.get(room);
        if (here == null || !here.members.remove(member)) {
            return false;
        }
        if (here.members.isEmpty()) {
            present.remove(room, here);
        }
        return true;
    }

    /** Called under the room's lock: forgets the room, returning who was present. */
    Set<DefaultConnection> removeAll(String room) {
        Here here = present.remove(room);
        if (here == null) {
            return Set.of();
        }
        here.members.forEach(member -> member.removeRoom(room));
        return here.members;
    }

    /**
     * Queues a frame for the open members that pass a filter. Called under the room's lock.
     *
     * @param droppable whether a full queue may drop it ({@code covet.outbound.overflow=drop-oldest})
     * @return how many it was queued for
     */
    int deliver(String room, String frame, Predicate<? super DefaultConnection> filter, boolean droppable) {
        Here here = present.get(room);
        if (here == null) {
            return 0;
        }
        int queued = 0;
        for (DefaultConnection member : here.members) {
            if (member.isOpen() && filter.test(member)) {
                if (droppable) {
                    member.enqueueBroadcast(frame, here.dropped);
                } else {
                    member.enqueue(frame);
                }
                queued++;
            }
        }
        if (queued > 0) {
            here.messages.increment();
            here.deliveries.add(queued);
        }
        return queued;
    }

    private Set<DefaultConnection> membersOf(String room) {
        Here here = present.get(room);
        return here == null ? Set.of() : here.members;
    }

    List<DefaultConnection> matching(String room, Predicate<? super DefaultConnection> filter) {
        return membersOf(room).stream().filter(filter).toList();
    }

    Set<Connection> members(String room) {
        return Set.copyOf(membersOf(room));
    }

    int memberCount(String room) {
        return membersOf(room).size();
    }

    /** @return the figures of every room with members here */
    Map<String, CovetStats.Room> figures() {
        Map<String, CovetStats.Room> figures = new TreeMap<>();
        present.forEach((room, here) -> figures.put(room, new CovetStats.Room(here.members.size(),
                here.messages.sum(), here.deliveries.sum(), here.dropped.sum())));
        return figures;
    }

    /** @return this node's connections in the room, per user */
    Map<String, Integer> usersHere(String room) {
        Map<String, Integer> users = new java.util.HashMap<>();
        for (DefaultConnection member : membersOf(room)) {
            users.merge(LocalRooms.userOf(member), 1, Integer::sum);
        }
        return users;
    }

    boolean isEmpty(String room) {
        return membersOf(room).isEmpty();
    }
}
