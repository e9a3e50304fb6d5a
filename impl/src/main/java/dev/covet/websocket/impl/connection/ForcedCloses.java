package dev.covet.websocket.impl.connection;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs forced closes off the caller's thread: closing a session whose send is stuck can block until the
 * container gives up on it (Tomcat waits for the pending send), and the caller may be a broadcast loop or the
 * heartbeat sweep. Daemon threads that end after 5 idle seconds, and are shut down with the application; when
 * all 64 are busy, or after shutdown, the caller closes.
 */
final class ForcedCloses {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService CLOSERS = new ThreadPoolExecutor(0, 64, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "covet-close-" + COUNT.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> task.run());

    private ForcedCloses() {
    }

    static void submit(Runnable close) {
        CLOSERS.execute(close);
    }

    /**
     * Lets the close threads end with the application (containers report threads that outlive an undeploy);
     * a forced close after that runs on the caller's thread.
     */
    static void shutdown() {
        CLOSERS.shutdown();
    }
}
