package dev.covet.websocket.impl.connection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

/**
 * Serializes every send to one session: at most one asynchronous send is in flight, the rest wait here, bounded
 * by count and bytes.
 *
 * <p>Containers differ when two async sends overlap (Tomcat throws, others buffer without bound), so nothing
 * else may touch the session's remote endpoint. Thread-safe and lock-free: producers {@link #offer} from any
 * thread; whoever flips {@code sending} from false to true starts the next send, and the completion callback
 * releases it. A callback that completes inline on the sending thread does not recurse: the outer loop continues.
 * Pings and the close frame go through the queue too: on Tomcat, a ping or close issued while an async send is in
 * flight blocks its caller, and a close that overtakes queued frames loses them. On Jetty 12 and Tyrus a ping is sent
 * without blocking ({@link Batching#ping}): the queue may reach it inside a send's completion, where Jetty's blocking
 * {@code sendPing} would wait forever. Elsewhere the container's blocking {@code sendPing} runs on another thread
 * ({@link BlockingPings}), so that neither the heartbeat sweep nor a container's thread waits for a full socket; the
 * queue sends nothing else until it returns.
 *
 * <p>Where the container can flush without blocking ({@link Batching}), a queue that holds more than one frame
 * turns the session's batching on: frames then collect in the container's buffer (their sends complete at once),
 * or on Tyrus, which has no batching, in the {@link Batching} itself, and the queue flushes them in one write when
 * it drains, which is also the in-flight operation that holds back the next send, so ordering and the slow-consumer
 * bounds are as without batching; a lone frame is flushed at once.
 * Inside {@link DeferredFlushes#run} (the application's {@code Rooms.batch}), frames offered on that thread wait in their
 * queues, and each queue is drained and flushed once when the work returns: a burst of broadcasts is written
 * connection by connection, each in one write, instead of touching every connection once per message. A queue that
 * reaches half its bounds inside the batch is drained at once, so a long batch cannot overflow it.
 */
final class OutboundQueue {

    private static final VarHandle COUNT;
    private static final VarHandle BYTES;
    private static final VarHandle SENDING;
    private static final VarHandle FORCED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(OutboundQueue.class, "count", int.class);
            BYTES = lookup.findVarHandle(OutboundQueue.class, "bytes", long.class);
            SENDING = lookup.findVarHandle(OutboundQueue.class, "sending", boolean.class);
            FORCED = lookup.findVarHandle(OutboundQueue.class, "forced", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ThreadLocal<OutboundQueue> PUMPING = new ThreadLocal<>();
    /** Queued like a frame: pings wait for the send in flight (Tomcat blocks the caller of an overlapping ping). */
    private static final Object PING = new Object();
    private static final byte[] PING_DATA = {'c', 'o', 'v', 'e', 't'};

    private final RemoteEndpoint.Async remote;
    private final OutboundLimits limits;
    private final Counters counters;
    private final Consumer<String> onOverflow;
    private final Consumer<Throwable> onFailure;
    private final Consumer<CloseFrame> closer;
    private final Batching batching;
    private final BlockingPings blockingPings;
    private final Queue<Object> frames = new ConcurrentLinkedQueue<>();
    /*
     * Frames and bytes queued, and whether a send is in flight: fields of the queue itself, updated through var
     * handles, so that a broadcast touches one object per member rather than three more atomics.
     */
    private volatile int count;
    private volatile long bytes;
    private volatile boolean sending;
    /**
     * How many times a thread took the right to send: it does not move while one write stays in flight, which the
     * heartbeat sweep reads ({@link #writeInFlight}). Written only by the thread that holds {@code sending}; plain,
     * not volatile (it changes once per frame): the sweep sees each increment at the latest when the next turn's
     * compare-and-set of {@code sending} publishes it, so a queue that moves never looks stuck.
     */
    private int turns;
    /** What {@link #forced} holds once a close, forced or queued, ran: nothing is sent any more. */
    private static final Runnable CLOSED = () -> { };
    /**
     * What {@link #forced} holds once a write failed: nothing is sent any more (the container may have written part of
     * a frame, which anything written after it would garble), and a close asked for later runs at once.
     */
    private static final Runnable HALTED = () -> { };
    /**
     * The forced close waiting for the send in flight ({@link #abandonThenClose}), {@link #CLOSED}, {@link #HALTED},
     * or null.
     */
    private volatile Runnable forced;
    /** One handler for every send of this queue: a method reference per send would allocate per recipient. */
    private final SendHandler completion = this::completed;
    private final Runnable flushed = this::flushed;
    private final Consumer<Throwable> flushFailed = this::flushFailed;
    /** A ping handed to a ping thread that has not started it; the volatile write that publishes {@code turns}. */
    private volatile boolean pingWaiting;
    /** Whether the session's batching is on; read and written only by the thread that holds {@code sending}. */
    private boolean batchOn;
    /** Whether frames were handed over since the last flush; written by the thread that holds {@code sending}. */
    private volatile boolean unflushed;
    /**
     * The batch this queue was last listed in, so that it is listed once however many frames it gets. Racy on
     * purpose: two threads' batches may both list it, and a queue listed twice only drains once more, finding
     * nothing.
     */
    DeferredFlushes listedIn;

    OutboundQueue(RemoteEndpoint.Async remote, OutboundLimits limits, Counters counters, Batching batching,
                  BlockingPings blockingPings, Consumer<String> onOverflow, Consumer<Throwable> onFailure,
                  Consumer<CloseFrame> closer) {
        this.remote = remote;
        this.batching = batching;
        this.blockingPings = blockingPings;
        this.limits = limits;
        this.counters = counters;
        this.onOverflow = onOverflow;
        this.onFailure = onFailure;
        this.closer = closer;
    }

    /** Queues a ping behind what is already queued; control frames are not counted against the bounds. */
    void ping() {
        frames.add(PING);
        pump();
    }

    /** Queues the close behind what is already queued: those frames are sent first, nothing after. */
    void closeAfterPending(int code, String reason) {
        frames.add(new CloseFrame(code, reason));
        pump();
    }

    /** Discards everything queued. */
    private void abandon() {
        frames.clear();
        count = 0;
        bytes = 0;
    }

    /**
     * Discards everything queued and runs {@code close} once no send is in flight: at once on this thread when the
     * queue is idle, otherwise on the thread that completes (or fails) the send in flight. Nothing is sent after it.
     * Closing a session while the container still writes to it is what a peer that stopped reading provokes, and
     * containers do not take it alike: Open Liberty waits 5.5 s, then writes the close frame over its pending write,
     * and the pending frame is lost. The send timeout ({@code covet.outbound.send-timeout}) bounds how long the close
     * waits.
     *
     * @param close closes the session
     * @return false when the close waits for the send in flight
     */
    boolean abandonThenClose(Runnable close) {
        abandon();
        if (FORCED.compareAndSet(this, HALTED, CLOSED)) {
            close.run();
            return true;
        }
        forced = close;
        pump();
        return forced != close;
    }

    /**
     * Runs the close {@link #abandonThenClose} left waiting, if it is still waiting: the send in flight neither
     * completed nor failed in time (the container does not enforce the send timeout).
     */
    void closeOverdue() {
        Runnable close = forced;
        if (close != null && close != CLOSED && close != HALTED && FORCED.compareAndSet(this, close, CLOSED)) {
            close.run();
        }
    }

    /**
     * Queues a text ({@link String}) or binary ({@code byte[]}) frame and starts sending if idle.
     *
     * @param frame the frame
     * @param droppable whether the {@code drop-oldest} policy may discard it (room broadcasts)
     * @param drops counts the frame when the policy discards it (its room's figure), or null
     * @return false when the queue was full; the overflow handler has then been called
     */
    boolean offer(Object frame, boolean droppable, LongAdder drops) {
        long size = sizeOf(frame);
        if (!reserve(size) && !(limits.dropOldest() && makeRoom(size))) {
            onOverflow.accept("outbound queue full (" + limits.maxMessages() + " messages / " + limits.maxBytes()
                    + " bytes)");
            return false;
        }
        // Wrapped only when the policy can drop: a broadcast to 10,000 members allocates nothing per member here.
        frames.add(droppable && limits.dropOldest() ? new Droppable(frame, drops) : frame);
        // Where nothing is batched, no thread-local lookup per recipient.
        DeferredFlushes deferred = batching.enabled() ? DeferredFlushes.current() : null;
        if (deferred != null && count * 2L <= limits.maxMessages() && bytes * 2 <= limits.maxBytes()) {
            deferred.list(this);
        } else {
            pump();
        }
        return true;
    }

    /**
     * What identifies the write in flight, for telling whether it is still the same one later: -1 when nothing is
     * being written (or after a forced close).
     */
    long writeInFlight() {
        if (pingWaiting) {
            return -1;
        }
        return sending && forced == null ? turns & 0xFFFFFFFFL : -1;
    }

    /**
     * Whether a ping was handed to a ping thread that has not started writing it ({@link BlockingPings}: its threads
     * are all busy, e.g. with peers whose sockets are full): nothing of it is written, so neither the send timeout nor
     * the heartbeat timeout may run for it yet.
     */
    boolean pingWaiting() {
        return pingWaiting;
    }

    /** Whether everything queued has been handed to the container, and written if it was batched. */
    boolean isDrained() {
        return count == 0 && !sending && !unflushed;
    }

    /**
     * Sends what waited for the end of a {@link DeferredFlushes#run}, batched, and flushes it; if another thread is
     * sending, that thread sends it and flushes when the queue drains.
     */
    void drainDeferred() {
        if (!SENDING.compareAndSet(this, false, true)) {
            return;
        }
        turns++;
        if (unflushed) {
            unflushed = false;
            batching.flush(flushed, flushFailed);
        } else {
            sending = false;
            pump();
        }
    }

    private boolean reserve(long size) {
        if ((int) COUNT.getAndAdd(this, 1) + 1 > limits.maxMessages()
                | (long) BYTES.getAndAdd(this, size) + size > limits.maxBytes()) {
            release(size);
            return false;
        }
        return true;
    }

    private void release(long size) {
        COUNT.getAndAdd(this, -1);
        BYTES.getAndAdd(this, -size);
    }

    /** Drops the oldest droppable frames until {@code size} fits; false when nothing droppable is left. */
    private boolean makeRoom(long size) {
        for (Object queued : frames) {
            if (queued instanceof Droppable old && frames.remove(old)) {
                release(sizeOf(old.frame()));
                counters.dropped();
                if (old.drops != null) {
                    old.drops.increment();
                }
                if (reserve(size)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long sizeOf(Object frame) {
        Object payload = frame instanceof Droppable d ? d.frame() : frame;
        return payload instanceof String s ? s.length() : ((byte[]) payload).length;
    }

    private void pump() {
        OutboundQueue outer = PUMPING.get();
        if (outer == this) {
            return;
        }
        PUMPING.set(this);
        try {
            while (SENDING.compareAndSet(this, false, true)) {
                turns++;
                Runnable forcedClose = forced;
                if (forcedClose != null) {
                    // Still "sending", for good: nothing goes out after a forced close.
                    abandon();
                    unflushed = false;
                    if (forcedClose != CLOSED && forcedClose != HALTED
                            && FORCED.compareAndSet(this, forcedClose, CLOSED)) {
                        forcedClose.run();
                    }
                    return;
                }
                Object next = frames.poll();
                if (next == null) {
                    if (unflushed) {
                        DeferredFlushes deferred = DeferredFlushes.current();
                        if (deferred == null) {
                            // Still "sending" until the flush completes; if it completed already, the loop goes on.
                            unflushed = false;
                            batching.flush(flushed, flushFailed);
                            continue;
                        }
                        deferred.list(this);
                    }
                    sending = false;
                    if (frames.isEmpty() && forced == null) {
                        return;
                    }
                    continue;
                }
                if (next == PING) {
                    // Not on this thread where possible: still "sending" until the ping is written.
                    if (!batching.ping(ByteBuffer.wrap(PING_DATA), flushed, flushFailed)) {
                        pingWaiting = true;
                        if (!blockingPings.send(this::handedOffPing, flushed, flushFailed)) {
                            pingWaiting = false;
                            try {
                                sendPing();
                            } catch (java.io.IOException | RuntimeException e) {
                                halt();
                                onFailure.accept(e);
                            }
                            sending = false;
                        }
                    }
                    continue;
                }
                if (next instanceof CloseFrame close) {
                    abandon();
                    // The container writes what it batched before the close frame; what was collected here goes
                    // out first.
                    if (unflushed) {
                        batching.closing();
                    }
                    unflushed = false;
                    // Still "sending", for good, and no write in flight for the heartbeat sweep to time.
                    forced = CLOSED;
                    closer.accept(close);
                    return;
                }
                long size = sizeOf(next);
                release(size);
                counters.sent(size);
                if (!batchOn && batching.enabled() && (!frames.isEmpty() || DeferredFlushes.current() != null)) {
                    batchOn = startBatching();
                }
                if (batchOn && !unflushed) {
                    unflushed = true;
                }
                Object frame = next instanceof Droppable d ? d.frame() : next;
                if (batchOn && batching.collect(frame)) {
                    // Collected, to be written at the flush: at once when that much is waiting, or when the queue
                    // drains.
                    if (batching.full()) {
                        unflushed = false;
                        batching.flush(flushed, flushFailed);
                    } else {
                        sending = false;
                    }
                    continue;
                }
                send(frame);
            }
        } finally {
            PUMPING.set(outer);
        }
    }

    private void send(Object frame) {
        try {
            if (frame instanceof String text) {
                remote.sendText(text, completion);
            } else {
                remote.sendBinary(ByteBuffer.wrap((byte[]) frame), completion);
            }
        } catch (RuntimeException e) {
            halt();
            sending = false;
            onFailure.accept(e);
        }
    }

    /** Turns the session's batching on (from off, the container flushes nothing); false if it refused. */
    private boolean startBatching() {
        try {
            remote.setBatchingAllowed(true);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private void flushed() {
        sending = false;
        pump();
    }

    private void flushFailed(Throwable failure) {
        halt();
        sending = false;
        onFailure.accept(failure);
        pump();
    }

    /** After a failed write: nothing is sent any more ({@link #HALTED}), unless a close already waits for it. */
    private void halt() {
        FORCED.compareAndSet(this, null, HALTED);
    }

    private void sendPing() throws java.io.IOException {
        remote.sendPing(ByteBuffer.wrap(PING_DATA));
    }

    /** The ping, on the ping thread, which holds {@code sending} now: a new write starts for the sweep's timing. */
    private void handedOffPing() throws java.io.IOException {
        turns++;
        pingWaiting = false;
        sendPing();
    }

    private void completed(SendResult result) {
        if (!result.isOK()) {
            flushFailed(result.getException());
            return;
        }
        sending = false;
        pump();
    }

    /** A frame the {@code drop-oldest} policy may discard; compared by identity. */
    private static final class Droppable {
        private final Object frame;
        private final LongAdder drops;

        Droppable(Object frame, LongAdder drops) {
            this.frame = frame;
            this.drops = drops;
        }

        Object frame() {
            return frame;
        }
    }

    /**
     * A close queued behind the pending frames.
     *
     * @param code the close code
     * @param reason the reason
     */
    record CloseFrame(int code, String reason) {
    }
}
