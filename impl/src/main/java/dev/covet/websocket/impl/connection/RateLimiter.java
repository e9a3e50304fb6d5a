package dev.covet.websocket.impl.connection;

import java.time.Duration;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * One connection's inbound limits: token buckets for messages per second, messages per minute and bytes per
 * second, and a count of violations within a window that decides when abuse becomes a close.
 *
 * <p>Each bucket holds at most its per-period amount (the burst) and refills continuously. A refused message
 * takes no tokens. Synchronized: the container delivers one connection's messages one at a time, so the lock is
 * uncontended.
 */
final class RateLimiter {

    private final Bucket perSecond;
    private final Bucket perMinute;
    private final Bucket bytesPerSecond;
    private final int violationsBeforeClose;
    private final long violationWindowNanos;
    private long windowStart;
    private int violations;

    RateLimiter(CovetConfig config, long now) {
        perSecond = new Bucket(config.get(Settings.RATE_MESSAGES_PER_SECOND), Duration.ofSeconds(1), now);
        perMinute = new Bucket(config.get(Settings.RATE_MESSAGES_PER_MINUTE), Duration.ofMinutes(1), now);
        bytesPerSecond = new Bucket(config.get(Settings.RATE_BYTES_PER_SECOND), Duration.ofSeconds(1), now);
        violationsBeforeClose = config.get(Settings.RATE_VIOLATIONS_BEFORE_CLOSE);
        violationWindowNanos = config.get(Settings.RATE_VIOLATION_WINDOW).toNanos();
        windowStart = now;
    }

    /**
     * Takes one message of {@code bytes} from every bucket, or nothing.
     *
     * @param bytes the message size
     * @param now {@link System#nanoTime()}
     * @return 0 when allowed, else the nanoseconds until it would be allowed (at least 1)
     */
    synchronized long tryAcquire(long bytes, long now) {
        perSecond.refill(now);
        perMinute.refill(now);
        bytesPerSecond.refill(now);
        long wait = Math.max(perSecond.waitFor(1), Math.max(perMinute.waitFor(1),
                bytesPerSecond.waitFor(Math.min(bytes, bytesPerSecond.capacity))));
        if (wait > 0) {
            return wait;
        }
        perSecond.take(1);
        perMinute.take(1);
        bytesPerSecond.take(Math.min(bytes, bytesPerSecond.capacity));
        return 0;
    }

    /**
     * Records a refused message.
     *
     * @param now {@link System#nanoTime()}
     * @return true when the violations within the window reached the limit: close the connection
     */
    synchronized boolean violation(long now) {
        if (now - windowStart > violationWindowNanos) {
            windowStart = now;
            violations = 0;
        }
        return ++violations >= violationsBeforeClose;
    }

    /** A token bucket refilled continuously at {@code capacity} per {@code period}. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last;

        Bucket(int capacity, Duration period, long now) {
            this.capacity = capacity;
            this.perNano = capacity / (double) period.toNanos();
            this.tokens = capacity;
            this.last = now;
        }

        void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }

        long waitFor(double amount) {
            return tokens >= amount ? 0 : Math.max(1, (long) Math.ceil((amount - tokens) / perNano));
        }

        void take(double amount) {
            tokens -= amount;
        }
    }
}
