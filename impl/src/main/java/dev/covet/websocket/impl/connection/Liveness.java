package dev.covet.websocket.impl.connection;

import java.time.Duration;

/**
 * What the heartbeat sweep watches of one connection: its pings, how long its session has been reported closed,
 * and its send timeout ({@code covet.outbound.send-timeout}) as Covet itself keeps it for the containers that do
 * not — the sweep shows it the write in flight on each pass, and it tells when the same write has been in flight too
 * long. Only the sweep calls {@link #overdue}; the container's close reads what it kept.
 */
final class Liveness {

    private final Duration timeout;
    private volatile long pingSentAt;
    private volatile long lastPingAt;
    private volatile long notOpenSince;
    /** The write in flight the sweep last saw ({@link OutboundQueue#writeInFlight}), and since when. */
    private volatile long watchedWrite = -1;
    private volatile long watchedSince;
    /** Whether that write had been in flight half the send timeout when the sweep last saw it; kept after it ends. */
    private volatile boolean watchedStuck;

    Liveness(Duration timeout, long nowNanos) {
        this.timeout = timeout;
        this.lastPingAt = nowNanos;
    }

    /** The peer answered a ping. */
    void ponged() {
        pingSentAt = 0;
    }

    /** @return when the unanswered ping was sent ({@link TimeSource#nanoTime()}), or 0 */
    long pingSentAt() {
        return pingSentAt;
    }

    /** @return when the last ping was sent, or when the connection opened */
    long lastPingAt() {
        return lastPingAt;
    }

    /** A ping is being sent now. */
    void pinged(long now) {
        pingSentAt = now;
        lastPingAt = now;
    }

    /**
     * Tracks how long the session has been reported closed while still registered.
     *
     * @param open whether the session is open now
     * @param now {@link TimeSource#nanoTime()}
     * @return nanoseconds since the session was first seen closed, 0 while open
     */
    long notOpenFor(boolean open, long now) {
        if (open) {
            notOpenSince = 0;
            return 0;
        }
        if (notOpenSince == 0) {
            notOpenSince = now;
        }
        return Math.max(1, now - notOpenSince);
    }

    /** @return the send timeout */
    Duration timeout() {
        return timeout;
    }

    /**
     * Whether the same write has been in flight for longer than the send timeout.
     *
     * @param write the write in flight now, or -1
     * @param now {@link TimeSource#nanoTime()}
     * @return true when the peer has taken too long
     */
    boolean overdue(long write, long now) {
        if (write < 0 || write != watchedWrite) {
            if (write >= 0) {
                watchedStuck = false;
            }
            watchedWrite = write;
            watchedSince = now;
            return false;
        }
        long inFlight = now - watchedSince;
        watchedStuck = inFlight >= timeout.toNanos() / 2;
        return inFlight > timeout.toNanos();
    }

    /**
     * Whether the last write the sweep watched had been in flight for at least half the send timeout when it last
     * looked: a write that then fails failed for the timeout, whatever the container reports (Undertow breaks the
     * connection on its send timeout and fails the write with "the underlying web socket connection has been
     * broken").
     */
    boolean watchedWriteWasStuck() {
        return watchedStuck;
    }

    /**
     * Whether a connection the container dropped was stuck in that write: it had been in flight for at least half the
     * send timeout (the sweep sees a write a quarter of it late at most). Jetty 12 fails such a write and drops the
     * connection itself, reporting 1006 before the failed send.
     *
     * @param write the write in flight now, or -1
     * @param now {@link TimeSource#nanoTime()}
     * @return true when the drop was the container's send timeout
     */
    boolean stuck(long write, long now) {
        return write >= 0 && write == watchedWrite && now - watchedSince >= timeout.toNanos() / 2;
    }

    /** Whether a failure, or one of its causes, is a timeout: containers report a send timeout each their own way. */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
