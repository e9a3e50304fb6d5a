package dev.covet.websocket.impl.room;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.covet.websocket.Connection;
import dev.covet.websocket.impl.connection.DefaultConnection;

/**
 * Which connections are present in which room on this node, and delivery of ready frames to them. Node-local by
 * nature: a connection lives on one node; which users are present, on all nodes, is the store's. Changes are made under the room's lock (held by the caller), so delivery in one
 * room follows the order of its messages; reads are lock-free snapshots.
 */
final class Presence {

    private final Map<String, Set<DefaultConnection>> present = new ConcurrentHashMap<>();

    /**
     * Called under the room's lock.
     *
     * @return false when the connection was already present
     */
    boolean add(String room, DefaultConnection member) {
        if (!present.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(member)) {
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
        Set<DefaultConnection> members = present.get(room);
        if (members == null || !members.remove(member)) {
            return false;
        }
        if (members.isEmpty()) {
            present.remove(room, members);
        }
        return true;
    }

    /** Called under the room's lock: forgets the room, returning who was present. */
    Set<DefaultConnection> removeAll(String room) {
        Set<DefaultConnection> members = present.remove(room);
        if (members == null) {
            return Set.of();
        }
        members.forEach(member -> member.removeRoom(room));
        return members;
    }

    /**
     * Queues a frame for the open members that pass a filter. Called under the room's lock.
     *
     * @param droppable whether a full queue may drop it ({@code covet.outbound.overflow=drop-oldest})
     * @return how many it was queued for
     */
    int deliver(String room, String frame, Predicate<? super DefaultConnection> filter, boolean droppable) {
        int queued = 0;
        for (DefaultConnection member : present.getOrDefault(room, Set.of())) {
            if (member.isOpen() && filter.test(member)) {
                if (droppable) {
                    member.enqueueBroadcast(frame);
                } else {
                    member.enqueue(frame);
                }
                queued++;
            }
        }
        return queued;
    }

    List<DefaultConnection> matching(String room, Predicate<? super DefaultConnection> filter) {
        return present.getOrDefault(room, Set.of()).stream().filter(filter).toList();
    }

    Set<Connection> members(String room) {
        Set<DefaultConnection> members = present.get(room);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    /** @return this node's connections in the room, per user */
    Map<String, Integer> usersHere(String room) {
        Map<String, Integer> users = new java.util.HashMap<>();
        for (DefaultConnection member : present.getOrDefault(room, Set.of())) {
            users.merge(LocalRooms.userOf(member), 1, Integer::sum);
        }
        return users;
    }

    boolean isEmpty(String room) {
        return present.getOrDefault(room, Set.of()).isEmpty();
    }
}
