package dev.covet.websocket.impl.room;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
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
        LongPredicate due = due(grace);
        return emptySince.values().stream().anyMatch(due::test);
    }

    /** Hands every room empty for at least the grace period to the deleter. */
    void sweep(Duration grace, Consumer<String> deleter) {
        LongPredicate due = due(grace);
        emptySince.forEach((room, since) -> {
            if (due.test(since)) {
                deleter.accept(room);
            }
        });
    }

    /** @return whether a room empty since then has been so for at least the grace period, as of now */
    private LongPredicate due(Duration grace) {
        long now = nanoClock.getAsLong();
        long graceNanos = grace.toNanos();
        return since -> now - since >= graceNanos;
    }
}
