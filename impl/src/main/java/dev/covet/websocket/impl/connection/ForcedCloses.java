package dev.covet.websocket.impl.connection;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * Runs what may block in the container off the caller's thread: forced closes (closing a session whose send is
 * stuck can block until the container gives up on it; Tomcat waits for the pending send), and pings where the
 * container has only the blocking {@code sendPing} (Tomcat, Undertow, Open Liberty: it waits while the peer's socket
 * is full). The caller may be a broadcast loop, the heartbeat sweep or a container's thread, and every other
 * connection it serves would wait behind the one that blocks. A close that waits for the send in flight gets a
 * deadline here, for containers that never fail such a send. One per deployment (two applications using Covet in
 * one server each have their own), with daemon threads that end after 5 idle seconds and are shut down with the
 * application.
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

    /**
     * Sends the blocking pings, in the order they come: one waiting for a full socket holds one of these threads, and
     * its connection's queue, which sends nothing else meanwhile, holds at most one ping here.
     */
    private final ThreadPoolExecutor pingers = new ThreadPoolExecutor(4, 4, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "covet-ping-" + COUNT.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
    /** Frees writes that Open Liberty would keep waiting forever; checked on the deadline thread. */
    private final LibertyWrites liberty = new LibertyWrites(deadlines);

    /** Configures the deadline thread to end after 5 idle seconds, and dropped deadlines to be forgotten. */
    public ForcedCloses() {
        deadlines.setKeepAliveTime(5, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
        deadlines.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        deadlines.setRemoveOnCancelPolicy(true);
        pingers.allowCoreThreadTimeOut(true);
    }

    /**
     * Closes the session on this thread, watched where the container may keep the thread forever
     * ({@link LibertyWrites}).
     *
     * @param session the session
     * @param reason the close reason
     * @throws IOException as {@link Session#close(CloseReason)}
     */
    void close(Session session, CloseReason reason) throws IOException {
        liberty.close(session, reason);
    }

    /**
     * Sends a blocking ping on a ping thread, watched where the container may keep the thread forever
     * ({@link LibertyWrites}).
     *
     * @param session the session
     * @param limit how long the ping may take (the send timeout)
     * @param ping sends the ping
     * @param sent runs once it was sent
     * @param failed runs if it failed
     * @return false when the application stopped: nothing runs then
     */
    boolean ping(Session session, java.time.Duration limit, LibertyWrites.Write ping, Runnable sent,
                 java.util.function.Consumer<Throwable> failed) {
        try {
            pingers.execute(() -> {
                try {
                    liberty.ping(session, limit, ping);
                } catch (IOException | RuntimeException e) {
                    failed.accept(e);
                    return;
                }
                sent.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
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
     * Lets the close and ping threads end with the application (containers report threads that outlive an
     * undeploy), after waiting up to 2 s for the closes in progress: they leave rooms, which must happen while the
     * application's beans still exist. Pings are stopped at once. A close or ping still running then is blocked in
     * the container (writing to a peer that stopped reading) and is interrupted, which frees it where the
     * container's write waits interruptibly; where it waits in one of Open Liberty's synchronous writes, which an
     * interrupt does not end, that write is failed, for up to 8 s more ({@link LibertyWrites}: the container closing
     * the application's sessions itself meanwhile is one way there). Deadlines not yet due are dropped: the
     * container closes its sessions when the application stops.
     */
    void shutdown() {
        deadlines.shutdownNow();
        pingers.shutdownNow();
        closers.shutdown();
        try {
            if (!closers.awaitTermination(2, TimeUnit.SECONDS)) {
                closers.shutdownNow();
            }
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (!(closers.awaitTermination(125, TimeUnit.MILLISECONDS)
                    && pingers.awaitTermination(125, TimeUnit.MILLISECONDS)) && System.nanoTime() < giveUp) {
                liberty.failWaitingWrites();
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
