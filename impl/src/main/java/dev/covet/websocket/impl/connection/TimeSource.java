package dev.covet.websocket.impl.connection;

import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The library's clocks: wall time for expiries (bans, mutes, invitations) and a monotonic nanosecond source for
 * intervals. One bean, so that tests can move time forward instead of waiting for it.
 */
@ApplicationScoped
public class TimeSource {

    private volatile Clock clock = Clock.systemUTC();
    private volatile LongSupplier nanos = System::nanoTime;

    /**
     * This instance itself, for callers that hold it instead of its client proxy: the bean is application-scoped,
     * so the instance lasts as long as the deployment, and the proxy would look it up on every call (several calls
     * per frame on the message path). In a supplier, because a CDI proxy hands itself back from a method that
     * returns {@code this}.
     *
     * @return a supplier of this instance
     */
    public Supplier<TimeSource> unproxied() {
        return () -> this;
    }

    /** @return the current instant */
    public Instant now() {
        return clock.instant();
    }

    /** @return the monotonic clock, in nanoseconds */
    public long nanoTime() {
        return nanos.getAsLong();
    }

    /**
     * Replaces the clocks (tests).
     *
     * @param wall the wall clock
     * @param monotonic the nanosecond source
     */
    public void use(Clock wall, LongSupplier monotonic) {
        clock = wall;
        nanos = monotonic;
    }
}
