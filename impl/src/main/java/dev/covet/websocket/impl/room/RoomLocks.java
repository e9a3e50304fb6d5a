package dev.covet.websocket.impl.room;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One monitor per room, made on first use and forgotten when the room is deleted. */
final class RoomLocks {

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Object of(String room) {
        return locks.computeIfAbsent(room, r -> new Object());
    }

    void forget(String room) {
        locks.remove(room);
    }
}
