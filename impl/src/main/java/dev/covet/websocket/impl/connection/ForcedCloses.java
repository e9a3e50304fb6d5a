package dev.covet.websocket.impl.connection;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs forced closes off the caller's thread: closing a session whose send is stuck can block until the
 * container gives up on it (Tomcat waits for the pending send), and the caller may be a broadcast loop or the
 * heartbeat sweep. One per deployment (two applications using Covet in one server each have their own), with
 * daemon threads that end after 5 idle seconds and are shut down with the application.
 */
public final class ForcedCloses {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private final ExecutorService closers = new ThreadPoolExecutor(0, 64, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "covet-close-" + COUNT.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

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
     * Lets the close threads end with the application (containers report threads that outlive an undeploy), after
     * waiting up to 2 s for the closes in progress: they leave rooms, which must happen while the application's
     * beans still exist. A close still running then is blocked in the container (writing to a peer that stopped
     * reading) and is interrupted, which frees it where the container's write waits interruptibly; Open Liberty's
     * synchronous close write was seen to keep waiting, its thread outliving the application.
     */
    void shutdown() {
        closers.shutdown();
        try {
            if (!closers.awaitTermination(2, TimeUnit.SECONDS)) {
                closers.shutdownNow();
            }
        } catch (InterruptedException e) {
            closers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
