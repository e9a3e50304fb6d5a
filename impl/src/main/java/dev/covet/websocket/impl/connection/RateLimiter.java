package dev.covet.websocket.impl.connection;

import java.util.concurrent.TimeUnit;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * One connection's inbound limits: token buckets for messages per second, messages per minute and bytes per
 * second, and a count of violations within a window that decides when abuse becomes a close.
 *
 * <p>Each bucket holds at most its per-period amount (the burst) and refills continuously. A refused message
 * takes no tokens. The three buckets are plain fields, not objects: there is one limiter per connection, and
 * at 10,000 connections every object header counts. Synchronized: the container delivers one connection's
 * messages one at a time, so the lock is uncontended.
 */
final class RateLimiter {

    private static final double SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final double MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int perSecond;
    private final int perMinute;
    private final int bytesPerSecond;
    private final int violationsBeforeClose;
    private final long violationWindowNanos;
    private double secondTokens;
    private double minuteTokens;
    private double byteTokens;
    private long last;
    private long windowStart;
    private int violations;

    RateLimiter(CovetConfig config, long now) {
        perSecond = config.get(Settings.RATE_MESSAGES_PER_SECOND);
        perMinute = config.get(Settings.RATE_MESSAGES_PER_MINUTE);
        bytesPerSecond = config.get(Settings.RATE_BYTES_PER_SECOND);
        violationsBeforeClose = config.get(Settings.RATE_VIOLATIONS_BEFORE_CLOSE);
        violationWindowNanos = config.get(Settings.RATE_VIOLATION_WINDOW).toNanos();
        secondTokens = perSecond;
        minuteTokens = perMinute;
        byteTokens = bytesPerSecond;
        last = now;
        windowStart = now;
    }

    /**
     * Takes one message of {@code bytes} from every bucket, or nothing.
     *
     * @param bytes the message size
     * @param now the library's monotonic clock ({@link TimeSource#nanoTime()})
     * @return 0 when allowed, else the nanoseconds until it would be allowed (at least 1)
     */
    synchronized long tryAcquire(long bytes, long now) {
        long elapsed = now - last;
        last = now;
        secondTokens = Math.min(perSecond, secondTokens + elapsed * perSecond / SECOND);
        minuteTokens = Math.min(perMinute, minuteTokens + elapsed * perMinute / MINUTE);
        byteTokens = Math.min(bytesPerSecond, byteTokens + elapsed * bytesPerSecond / SECOND);
        double size = Math.min(bytes, bytesPerSecond);
        long wait = Math.max(waitFor(secondTokens, 1, perSecond / SECOND),
                Math.max(waitFor(minuteTokens, 1, perMinute / MINUTE), waitFor(byteTokens, size, bytesPerSecond / SECOND)));
        if (wait == 0) {
            secondTokens -= 1;
            minuteTokens -= 1;
            byteTokens -= size;
        }
        return wait;
    }

    /**
     * Records a refused message.
     *
     * @param now the library's monotonic clock ({@link TimeSource#nanoTime()})
     * @return true when the violations within the window reached the limit: close the connection
     */
    synchronized boolean violation(long now) {
        if (now - windowStart > violationWindowNanos) {
            windowStart = now;
            violations = 0;
        }
        return ++violations >= violationsBeforeClose;
    }

    private static long waitFor(double tokens, double amount, double perNano) {
        return tokens >= amount ? 0 : Math.max(1, (long) Math.ceil((amount - tokens) / perNano));
    }
}
