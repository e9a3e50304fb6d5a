package dev.covet.websocket.impl.room;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The reaper of temporary rooms: remembers since when each one has been empty and, on the heartbeat sweep,
 * hands those empty for longer than the grace period to a deleter that checks again under the room's lock.
 */
final class TemporaryRooms {

    /** Temporary rooms without members, and since when (the nanosecond clock). */
    private final Map<String, Long> emptySince = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    TemporaryRooms(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    void empty(String room) {
        emptySince.put(room, nanoClock.getAsLong());
    }

    void occupied(String room) {
        emptySince.remove(room);
    }

    boolean isEmpty(String room) {
        return emptySince.containsKey(room);
    }

    /** @return whether a room has been empty for at least the grace period */
    boolean anyDue(Duration grace) {
        long now = nanoClock.getAsLong();
        long graceNanos = grace.toNanos();
        return emptySince.values().stream().anyMatch(since -> now - since >= graceNanos);
    }

    /** Hands every room empty for at least the grace period to the deleter. */
    void sweep(Duration grace, Consumer<String> deleter) {
        long now = nanoClock.getAsLong();
        long graceNanos = grace.toNanos();
        emptySince.forEach((room, since) -> {
            if (now - since >= graceNanos) {
                deleter.accept(room);
            }
        });
    }
}
