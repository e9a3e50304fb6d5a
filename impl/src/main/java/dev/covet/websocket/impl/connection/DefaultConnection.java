package dev.covet.websocket.impl.connection;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * The library's {@link Connection}: a session, its principal and its serialized outbound queue.
 *
 * <p>Thread-safe. Frames queued after the connection started closing are discarded: the peer can no longer
 * receive them.
 */
public final class DefaultConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(DefaultConnection.class.getName());
    private static final VarHandle OPEN;
    private static final VarHandle CLEANED_UP;
    private static final VarHandle SLOTS_RELEASED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OPEN = lookup.findVarHandle(DefaultConnection.class, "open", boolean.class);
            CLEANED_UP = lookup.findVarHandle(DefaultConnection.class, "cleanedUp", boolean.class);
            SLOTS_RELEASED = lookup.findVarHandle(DefaultConnection.class, "slotsReleased", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String id = UUID.randomUUID().toString();
    private final Session session;
    private final Principal principal;
    private final InetSocketAddress remoteAddress;
    private final Envelopes envelopes;
    private final OutboundQueue queue;
    private volatile Map<String, Object> attributes;
    private volatile Set<String> rooms = Set.of();
    private volatile boolean open = true;
    private volatile boolean cleanedUp;
    private volatile boolean slotsReleased;
    private final RateLimiter limiter;
    private volatile BiConsumer<Integer, String> cleanup = (code, reason) -> { };
    private volatile long pingSentAt;
    private volatile long lastPingAt;
    private volatile long notOpenSince;

    /**
     * Wraps an open session.
     *
     * @param session the container's session
     * @param principal the authenticated principal, or null for anonymous
     * @param remoteAddress the client address, or null when unknown
     * @param envelopes the envelope writer
     * @param counters the statistics to report to
     * @param limits the outbound queue bounds and overflow policy
     * @param config the configuration, for the inbound rate limits
     */
    public DefaultConnection(Session session, Principal principal, InetSocketAddress remoteAddress,
                             Envelopes envelopes, Counters counters, OutboundLimits limits, CovetConfig config) {
        this.session = session;
        this.limiter = new RateLimiter(config, System.nanoTime());
        this.lastPingAt = System.nanoTime();
        this.principal = principal;
        this.remoteAddress = remoteAddress;
        this.envelopes = envelopes;
        this.queue = new OutboundQueue(session.getAsyncRemote(), limits, counters, reason -> {
            if (isOpen()) {
                counters.slowConsumerClose();
                LOG.log(System.Logger.Level.DEBUG, "Closing slow consumer {0}: {1}", id, reason);
            }
            forceClose(CloseCodes.SLOW_CONSUMER, "slow consumer");
        }, this::sendFailed, frame -> closeSession(frame.code(), frame.reason()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public void send(String event, Object data) {
        enqueue(envelopes.push(event, null, data));
    }

    @Override
    public void sendBinary(String event, byte[] bytes) {
        enqueue(envelopes.binary(event, null, bytes));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Queued behind the frames already queued, which are sent first; nothing is queued after it. */
    @Override
    public void close(int code, String reason) {
        if (OPEN.compareAndSet(this, true, false)) {
            queue.closeAfterPending(code, reason);
        }
    }

    /**
     * Closes a connection whose queue is stuck (slow consumer, dead peer) without waiting for it: the queue is
     * discarded and the session closed on a separate thread, since a container may block the closing thread
     * until its pending send gives up.
     *
     * @param code the close code
     * @param reason the reason
     */
    public void forceClose(int code, String reason) {
        if (OPEN.compareAndSet(this, true, false)) {
            queue.abandon();
            ForcedCloses.submit(() -> closeSession(code, reason));
        }
    }

    private void closeSession(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), truncate(reason)));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing connection {0} failed: {1}", id, e.toString());
        }
    }

    /**
     * Queues an already serialized frame (a {@link String} or a binary {@code byte[]}).
     *
     * @param frame the frame
     */
    public void enqueue(Object frame) {
        if (open) {
            queue.offer(frame, false);
        }
    }

    /**
     * Queues a room broadcast, which the {@code drop-oldest} overflow policy may discard.
     *
     * @param frame the serialized broadcast
     */
    public void enqueueBroadcast(String frame) {
        if (open) {
            queue.offer(frame, true);
        }
    }

    /**
     * Queues an {@code error} envelope.
     *
     * @param replyTo the request id, or null
     * @param code the error code
     * @param message the message
     */
    public void sendError(String replyTo, ErrorCode code, String message) {
        enqueue(envelopes.error(replyTo, code, message, java.util.List.of()));
    }

    /** @return whether every queued frame has been handed to the container (or the connection is closed) */
    boolean isDrained() {
        return !open || queue.isDrained();
    }

    /** Sets what runs, once, when the connection is gone (from onClose or from the heartbeat sweep). */
    public void onCleanup(BiConsumer<Integer, String> action) {
        this.cleanup = action;
    }

    /** Runs the cleanup action unless it already ran. */
    public void cleanup(int closeCode, String reason) {
        if (CLEANED_UP.compareAndSet(this, false, true)) {
            open = false;
            cleanup.accept(closeCode, reason);
        }
    }

    /**
     * Checks the inbound rate limits for one message.
     *
     * @param bytes the message size
     * @param now {@link System#nanoTime()}
     * @return 0 when allowed, else nanoseconds until it would be
     */
    public long acquire(long bytes, long now) {
        return limiter.tryAcquire(bytes, now);
    }

    /** Records a rate-limit violation; true when the connection must now be closed. */
    public boolean violation(long now) {
        return limiter.violation(now);
    }

    /** The peer answered a ping. */
    public void ponged() {
        pingSentAt = 0;
    }

    long pingSentAt() {
        return pingSentAt;
    }

    long lastPingAt() {
        return lastPingAt;
    }

    /** Queues a ping; the heartbeat sweep closes the connection if no pong follows in time. */
    void ping(long now) {
        pingSentAt = now;
        lastPingAt = now;
        queue.ping();
    }

    /**
     * Tracks how long the session has been reported closed while still registered.
     *
     * @return nanoseconds since the session was first seen closed, 0 while open
     */
    long notOpenFor(long now) {
        if (session.isOpen()) {
            notOpenSince = 0;
            return 0;
        }
        if (notOpenSince == 0) {
            notOpenSince = now;
        }
        return Math.max(1, now - notOpenSince);
    }

    /** @return an immutable snapshot of the rooms this connection belongs to */
    public Set<String> rooms() {
        return rooms;
    }

    /** Records a room membership; copy-on-write, since a connection joins few rooms and rarely. */
    public synchronized void addRoom(String room) {
        if (!rooms.contains(room)) {
            Set<String> copy = new HashSet<>(rooms);
            copy.add(room);
            rooms = Set.copyOf(copy);
        }
    }

    /** Forgets a room membership. */
    public synchronized void removeRoom(String room) {
        if (rooms.contains(room)) {
            Set<String> copy = new HashSet<>(rooms);
            copy.remove(room);
            rooms = Set.copyOf(copy);
        }
    }

    /** @return true exactly once: the caller gives back this connection's admission slots */
    public boolean releaseSlotsOnce() {
        return SLOTS_RELEASED.compareAndSet(this, false, true);
    }

    private void sendFailed(Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "Send to connection {0} failed: {1}", id, String.valueOf(failure));
        forceClose(CloseCodes.GOING_AWAY, "send failed");
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        return new String(bytes, 0, 120, StandardCharsets.UTF_8) + "...";
    }

    @Override
    public String toString() {
        return "Connection[" + id + "]";
    }
}
