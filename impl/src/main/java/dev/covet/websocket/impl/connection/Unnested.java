package dev.covet.websocket.impl.connection;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Runs what ends a connection — its cleanup, a forced close on the caller's thread — one after another on a thread,
 * never one inside another.
 *
 * <p>Ending a connection sends to others (a room's {@code $room.left} notices, the application's disconnect
 * observers), and a send to a peer that is already gone can end that connection on the same thread: the container
 * calls its {@code onClose} from inside the failed write (Jetty does), or Covet force-closes it there. When every
 * member of a room disconnects at once, those calls nested as deep as the room was large and overflowed the thread's
 * stack, leaving locks of the container held. Here a connection's end that starts while the thread is ending
 * another waits until that one returns: the chain becomes a loop.
 */
final class Unnested {

    private static final System.Logger LOG = System.getLogger(Unnested.class.getName());
    /** What waits for the work this thread is running, or null when it runs none. */
    private static final ThreadLocal<Deque<Runnable>> WAITING = new ThreadLocal<>();

    private Unnested() {
    }

    /**
     * Runs the work now, or, when this thread is already running such work, right after it.
     *
     * @param work ending one connection
     */
    static void run(Runnable work) {
        Deque<Runnable> waiting = WAITING.get();
        if (waiting != null) {
            waiting.add(work);
            return;
        }
        waiting = new ArrayDeque<>();
        WAITING.set(waiting);
        try {
            for (Runnable next = work; next != null; next = waiting.poll()) {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Ending a connection failed", e);
                }
            }
        } finally {
            WAITING.remove();
        }
    }
}
