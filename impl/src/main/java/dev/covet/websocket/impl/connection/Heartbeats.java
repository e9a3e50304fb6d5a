package dev.covet.websocket.impl.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * Pings every connection each {@code covet.heartbeat.interval}, closes one whose ping stays unanswered for
 * {@code covet.heartbeat.timeout} with 4011, and sweeps connections whose session the container reports closed
 * without ever calling {@code onClose}.
 *
 * <p>One daemon thread for all connections, started with the first connection and stopped on undeploy. The same
 * sweep closes connections whose credentials expired (4002) or that did not authenticate in time (4001), and those
 * whose write stayed in flight for {@code covet.outbound.send-timeout} (4008), which Jetty 12 and Tyrus do not fail.
 * What may block runs on the deployment's close threads: the closes (a container may write the close frame
 * synchronously to a peer that reads nothing), the cleanups, which fire the application's {@code Disconnected}
 * observers, and the tasks added with {@link #onSweep}; so neither a peer nor an observer holds every connection's
 * heartbeat.
 */
@ApplicationScoped
public class Heartbeats {

    private static final System.Logger LOG = System.getLogger(Heartbeats.class.getName());

    @Inject
    ConnectionRegistry registry;
    @Inject
    Counters counters;
    @Inject
    CurrentConfig config;
    @Inject
    TimeSource time;

    private final List<Runnable> sweeps = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private long intervalNanos;
    private long timeoutNanos;
    private volatile long tickNanos;
    /** When the last sweep ran ({@link TimeSource#nanoTime()}), 0 before the first. */
    private volatile long lastSweepNanos;

    /**
     * Adds a task to the sweep (the temporary rooms' cleanup uses it). Each sweep asks {@code due} on its own thread,
     * so it must be quick; the task then runs on a close thread, since it may fire the application's observers or
     * wait for the cluster's store, and this thread serves every connection's heartbeat. A task still running when
     * the next sweep comes is not started again.
     *
     * @param due whether the task has work now: a quick, thread-safe check
     * @param task a thread-safe task
     */
    public void onSweep(BooleanSupplier due, Runnable task) {
        AtomicBoolean running = new AtomicBoolean();
        sweeps.add(() -> {
            if (due.getAsBoolean() && running.compareAndSet(false, true)) {
                registry.closers().run(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "Sweep task failed", e);
                    } finally {
                        running.set(false);
                    }
                });
            }
        });
    }

    /** Starts the sweep if it is not running. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        CovetConfig settings = config.get();
        intervalNanos = settings.get(Settings.HEARTBEAT_INTERVAL).toNanos();
        timeoutNanos = settings.get(Settings.HEARTBEAT_TIMEOUT).toNanos();
        long sendTimeoutNanos = settings.get(Settings.OUTBOUND_SEND_TIMEOUT).toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(50),
                Math.min(Math.min(intervalNanos, timeoutNanos), sendTimeoutNanos) / 4);
        tickNanos = tick;
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "covet-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** @return whether the sweep is scheduled */
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** @return when the last sweep ran ({@link TimeSource#nanoTime()}), or 0 before the first */
    public long lastSweepNanos() {
        return lastSweepNanos;
    }

    /** @return the time between sweeps, in nanoseconds, or 0 before the sweep started */
    public long tickNanos() {
        return tickNanos;
    }

    /** Stops the sweep and its thread: on undeploy, or when a standalone installation is closed. */
    @PreDestroy
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void sweep() {
        for (Runnable task : sweeps) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Sweep task failed", e);
            }
        }
        long now = time.nanoTime();
        long nowMillis = time.now().toEpochMilli();
        lastSweepNanos = now;
        for (DefaultConnection connection : registry.all()) {
            try {
                check(connection, now, nowMillis);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Heartbeat check of " + connection + " failed", e);
            }
        }
    }

    private void check(DefaultConnection connection, long now, long nowMillis) {
        if (connection.cleanedUp()) {
            // Its cleanup is under way on a close thread and will take it out of the registry.
            return;
        }
        if (connection.notOpenFor(now) > timeoutNanos) {
            connection.cleanupElsewhere(1006, "connection lost");
            return;
        }
        int lapsed = connection.credentials().lapsed(nowMillis, now);
        if (lapsed != 0) {
            if (!connection.isOpen()) {
                return;
            }
            String reason = lapsed == CloseCodes.AUTHENTICATION_TIMEOUT ? "authentication timeout"
                    : "credentials expired";
            // On a closer thread: where the container writes the close frame synchronously (Tomcat, Undertow,
            // Open Liberty) it can wait on this peer, and this thread serves every connection's heartbeat.
            registry.closers().run(() -> connection.close(lapsed, reason));
            return;
        }
        if (connection.writeOverdue(now)) {
            connection.writeTimedOut();
            return;
        }
        if (connection.pingWaiting()) {
            // Handed to a ping thread that has not written it (they are all busy): it counts as sent now, so the
            // heartbeat timeout runs from when it is written, a sweep late at most — not held against this peer.
            connection.liveness().pinged(now);
            return;
        }
        long pingSentAt = connection.liveness().pingSentAt();
        if (pingSentAt != 0 && now - pingSentAt > timeoutNanos) {
            counters.heartbeatTimeout();
            connection.forceClose(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            connection.cleanupElsewhere(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
        } else if (pingSentAt == 0 && now - connection.liveness().lastPingAt() >= intervalNanos) {
            connection.ping(now);
        }
    }
}
