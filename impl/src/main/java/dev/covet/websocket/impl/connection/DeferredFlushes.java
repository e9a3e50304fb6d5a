package dev.covet.websocket.impl.connection;

import java.util.ArrayList;
import java.util.List;

/**
 * One thread's batch of sends ({@code Rooms.batch}): the frames it queues wait in their connections' queues, and each
 * queue is drained and flushed once when the work returns, so that a burst of broadcasts is written connection by
 * connection, each in one write, instead of touching every connection once per message. A queue lists itself here
 * ({@link OutboundQueue#offer}); not thread-safe, as it belongs to one thread.
 */
final class DeferredFlushes {

    private static final ThreadLocal<DeferredFlushes> CURRENT = new ThreadLocal<>();
    private final List<OutboundQueue> queues = new ArrayList<>();

    private DeferredFlushes() {
    }

    /** @return this thread's batch, or null outside one */
    static DeferredFlushes current() {
        return CURRENT.get();
    }

    /**
     * Runs {@code work}; the frames it queues on this thread are batched, and each queue is flushed once when it
     * returns (or earlier by another thread that drains the queue). A nested call joins the outer one.
     *
     * @param work the sends
     */
    static void run(Runnable work) {
        if (CURRENT.get() != null) {
            work.run();
            return;
        }
        DeferredFlushes deferred = new DeferredFlushes();
        CURRENT.set(deferred);
        try {
            work.run();
        } finally {
            CURRENT.remove();
            for (OutboundQueue queue : deferred.queues) {
                queue.listedIn = null;
                queue.drainDeferred();
            }
        }
    }

    /** Lists a queue to drain when the work returns, once however many frames it gets. */
    void list(OutboundQueue queue) {
        if (queue.listedIn != this) {
            queue.listedIn = this;
            queues.add(queue);
        }
    }
}
