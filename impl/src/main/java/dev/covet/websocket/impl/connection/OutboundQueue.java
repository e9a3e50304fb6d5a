package dev.covet.websocket.impl.connection;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;

/**
 * Serializes every send to one session: at most one asynchronous send is in flight, the rest wait here, bounded
 * by count and bytes.
 *
 * <p>Containers differ when two async sends overlap (Tomcat throws, others buffer without bound), so nothing
 * else may touch the session's remote endpoint. Thread-safe and lock-free: producers {@link #offer} from any
 * thread; whoever flips {@code sending} from false to true starts the next send, and the completion callback
 * releases it. A callback that completes inline on the sending thread does not recurse: the outer loop continues.
 */
final class OutboundQueue {

    private static final ThreadLocal<OutboundQueue> PUMPING = new ThreadLocal<>();

    private final RemoteEndpoint.Async remote;
    private final int maxMessages;
    private final long maxBytes;
    private final Consumer<String> onOverflow;
    private final Consumer<Throwable> onFailure;
    private final Queue<Object> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();

    OutboundQueue(RemoteEndpoint.Async remote, int maxMessages, long maxBytes,
                  Consumer<String> onOverflow, Consumer<Throwable> onFailure) {
        this.remote = remote;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
        this.onFailure = onFailure;
    }

    /**
     * Queues a text ({@link String}) or binary ({@code byte[]}) frame and starts sending if idle.
     *
     * @return false when the queue was full; the overflow handler has then been called
     */
    boolean offer(Object frame) {
        long size = frame instanceof String s ? s.length() : ((byte[]) frame).length;
        if (count.incrementAndGet() > maxMessages || bytes.addAndGet(size) > maxBytes) {
            count.decrementAndGet();
            bytes.addAndGet(-size);
            onOverflow.accept("outbound queue full (" + maxMessages + " messages / " + maxBytes + " bytes)");
            return false;
        }
        frames.add(frame);
        pump();
        return true;
    }

    /** Number of frames handed to the container so far. */
    long sentCount() {
        return sent.get();
    }

    private void pump() {
        if (PUMPING.get() == this) {
            return;
        }
        OutboundQueue outer = PUMPING.get();
        PUMPING.set(this);
        try {
            while (sending.compareAndSet(false, true)) {
                Object next = frames.poll();
                if (next == null) {
                    sending.set(false);
                    if (frames.isEmpty()) {
                        return;
                    }
                    continue;
                }
                count.decrementAndGet();
                bytes.addAndGet(-(next instanceof String s ? s.length() : ((byte[]) next).length));
                send(next);
            }
        } finally {
            PUMPING.set(outer);
        }
    }

    private void send(Object frame) {
        try {
            if (frame instanceof String text) {
                remote.sendText(text, this::completed);
            } else {
                remote.sendBinary(ByteBuffer.wrap((byte[]) frame), this::completed);
            }
        } catch (RuntimeException e) {
            sending.set(false);
            onFailure.accept(e);
        }
    }

    private void completed(SendResult result) {
        sent.incrementAndGet();
        sending.set(false);
        if (!result.isOK()) {
            onFailure.accept(result.getException());
        }
        pump();
    }
}
