package dev.covet.websocket.impl.connection;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * Runs forced closes off the caller's thread: closing a session whose send is stuck can block until the
 * container gives up on it (Tomcat waits for the pending send), and the caller may be a broadcast loop or the
 * heartbeat sweep. A close that waits for the send in flight gets a deadline here, for containers that never fail
 * such a send. One per deployment (two applications using Covet in one server each have their own), with daemon
 * threads that end after 5 idle seconds and are shut down with the application.
 */
public final class ForcedCloses {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private final ExecutorService closers = new ThreadPoolExecutor(0, 64, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Closer::new);
    /** Runs the closes that wait for a send in flight once they are overdue; its thread ends when idle. */
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "covet-close-deadline-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /** Frees closes that Open Liberty would keep waiting forever; checked on the deadline thread. */
    private final LibertyCloses liberty = new LibertyCloses(deadlines);

    /** Configures the deadline thread to end after 5 idle seconds, and dropped deadlines to be forgotten. */
    public ForcedCloses() {
        deadlines.setKeepAliveTime(5, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
        deadlines.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Closes the session on this thread, watched where the container may keep the thread forever
     * ({@link LibertyCloses}).
     *
     * @param session the session
     * @param reason the close reason
     * @throws IOException as {@link Session#close(CloseReason)}
     */
    void close(Session session, CloseReason reason) throws IOException {
        liberty.close(session, reason);
    }

    /**
     * Runs the close on a closer thread, or returns false when all 64 are busy or the application stopped, so the
     * caller can close the session itself.
     */
    boolean submit(Runnable close) {
        try {
            closers.execute(close);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Runs the close here when this is a closer thread already, else on one (or here, unnested, when all are busy
     * or the application stopped): the thread that completes a send may be the container's own, which a close must
     * not block.
     */
    void run(Runnable close) {
        if (Thread.currentThread() instanceof Closer || !submit(close)) {
            Unnested.run(close);
        }
    }

    /**
     * Runs {@code close} ({@link #run}) after {@code delay}, unless the application stopped meanwhile.
     *
     * @param delay how long from now
     * @param close what then runs, and finds nothing to do if the close happened meanwhile
     */
    void after(java.time.Duration delay, Runnable close) {
        try {
            deadlines.schedule(() -> run(close), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            run(close);
        }
    }

    /**
     * Lets the close threads end with the application (containers report threads that outlive an undeploy), after
     * waiting up to 2 s for the closes in progress: they leave rooms, which must happen while the application's
     * beans still exist. A close still running then is blocked in the container (writing to a peer that stopped
     * reading) and is interrupted, which frees it where the container's write waits interruptibly; where it waits
     * in Open Liberty's synchronous close write, which an interrupt does not end, that write is failed, for up to
     * 8 s more ({@link LibertyCloses}: the container closing the application's sessions itself meanwhile is one way
     * there). Deadlines not yet due are dropped: the container closes its sessions when the application stops.
     */
    void shutdown() {
        deadlines.shutdownNow();
        closers.shutdown();
        try {
            if (!closers.awaitTermination(2, TimeUnit.SECONDS)) {
                closers.shutdownNow();
                for (int wait = 0; wait < 32 && !closers.awaitTermination(250, TimeUnit.MILLISECONDS); wait++) {
                    liberty.failWaitingWrites();
                }
            }
        } catch (InterruptedException e) {
            closers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A close thread: daemon, named for thread dumps and for the containers' reports of threads left behind. */
    private static final class Closer extends Thread {
        Closer(Runnable task) {
            super(task, "covet-close-" + COUNT.incrementAndGet());
            setDaemon(true);
        }
    }
}
