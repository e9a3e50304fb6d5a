package dev.covet.websocket.impl.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.covet.websocket.CovetStats;

/**
 * One route's handler statistics: calls, failures (the handler threw) and time spent in the handler. Lock-free:
 * adders for the counts, a compare-and-set maximum.
 */
public final class HandlerStats {

    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();
    private volatile Recorder also;

    /** Where else each call is recorded, e.g. a metrics library's timer. */
    @FunctionalInterface
    public interface Recorder {

        /**
         * @param elapsedNanos the time in the handler
         * @param failed whether it threw
         */
        void record(long elapsedNanos, boolean failed);
    }

    /**
     * Also hands every call to a recorder, or stops doing so.
     *
     * @param recorder the recorder, or null
     */
    public void alsoTo(Recorder recorder) {
        also = recorder;
    }

    /** Records one call of the handler that took {@code elapsedNanos}, failed or not. */
    void record(long elapsedNanos, boolean failed) {
        Recorder recorder = also;
        if (recorder != null) {
            recorder.record(elapsedNanos, failed);
        }
        calls.increment();
        nanos.add(elapsedNanos);
        if (failed) {
            errors.increment();
        }
        long max = maxNanos.get();
        while (elapsedNanos > max && !maxNanos.compareAndSet(max, elapsedNanos)) {
            max = maxNanos.get();
        }
    }

    /** @return the figures now */
    public CovetStats.Handler snapshot() {
        long count = calls.sum();
        return new CovetStats.Handler(count, errors.sum(), count == 0 ? 0 : nanos.sum() / count / 1_000,
                maxNanos.get() / 1_000);
    }
}
