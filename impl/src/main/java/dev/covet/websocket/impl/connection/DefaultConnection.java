package dev.covet.websocket.impl.connection;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.auth.UserPrincipal;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * The library's {@link Connection}: a session, its principal and its serialized outbound queue.
 *
 * <p>Thread-safe. Frames queued after the connection started closing are discarded: the peer can no longer
 * receive them.
 */
public final class DefaultConnection implements Connection {

    /** How long the container may take to end a connection whose write it failed, before Covet closes it. */
    private static final java.time.Duration CONTAINER_FIRST = java.time.Duration.ofSeconds(1);
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
    private volatile UserPrincipal principal;
    private final InetSocketAddress remoteAddress;
    private final Envelopes envelopes;
    private final OutboundQueue queue;
    private volatile Map<String, Object> attributes;
    private volatile Set<String> rooms = Set.of();
    private volatile boolean open = true;
    private volatile boolean cleanedUp;
    private volatile boolean slotsReleased;
    /** Whether the container failed a write: the session is then closed only if the container did not end it. */
    private volatile boolean writeFailed;
    private final RateLimiter limiter;
    private volatile BiConsumer<Integer, String> cleanup = (code, reason) -> { };
    private volatile Runnable closing = () -> { };
    private final ForcedCloses closers;
    private final Counters counters;
    private final Liveness liveness;
    private final Credentials credentials = new Credentials();

    /**
     * Wraps an open session.
     *
     * @param session the container's session
     * @param principal the authenticated principal, or null for anonymous (or pending authentication)
     * @param remoteAddress the client address, or null when unknown
     * @param envelopes the envelope writer
     * @param counters the statistics to report to
     * @param limits the outbound queue bounds and overflow policy
     * @param config the configuration, for the inbound rate limits
     * @param closers the deployment's closer threads
     * @param nowNanos the library's monotonic clock now ({@link TimeSource#nanoTime()})
     */
    public DefaultConnection(Session session, UserPrincipal principal, InetSocketAddress remoteAddress,
                             Envelopes envelopes, Counters counters, OutboundLimits limits, CovetConfig config,
                             ForcedCloses closers, long nowNanos) {
        this.session = session;
        this.closers = closers;
        this.limiter = new RateLimiter(config, nowNanos);
        this.principal = principal;
        this.remoteAddress = remoteAddress;
        this.envelopes = envelopes;
        RemoteEndpoint.Async remote = session.getAsyncRemote();
        try {
            remote.setSendTimeout(limits.sendTimeout().toMillis());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "The container refused a send timeout: {0}", e.toString());
        }
        this.counters = counters;
        this.liveness = new Liveness(limits.sendTimeout(), nowNanos);
        this.queue = new OutboundQueue(remote, limits, counters, Batching.of(session, limits.batching()),
                (ping, sent, failed) -> closers.ping(session, limits.sendTimeout(), ping, sent, failed),
                this::slowConsumer, this::sendFailed, frame -> closeSession(frame.code(), frame.reason()));
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
    public Set<String> roles() {
        UserPrincipal current = principal;
        return current == null ? Set.of() : current.roles();
    }

    /** @return how this connection authenticates: expiry, pending {@code $auth}, in-band tokens */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * Adopts verified credentials: after {@code $auth}, or fresh ones after {@code $auth.refresh}.
     *
     * @param verified the principal and roles
     * @param expiresAt when they expire, or null
     */
    public void authenticated(UserPrincipal verified, Instant expiresAt) {
        principal = verified;
        credentials.renewed(expiresAt);
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

    /**
     * Queued behind the frames already queued, which are sent first; nothing is queued after it. From this moment
     * nothing the peer still sends is routed, and the connection has left its rooms. Never throws: a reason
     * longer than 123 UTF-8 bytes is cut, an invalid code becomes 1011.
     */
    @Override
    public void close(int code, String reason) {
        if (OPEN.compareAndSet(this, true, false)) {
            queue.closeAfterPending(code, reason);
            runClosing();
        }
    }

    /**
     * Closes a connection whose queue is stuck (slow consumer, dead peer) without waiting for the queue: it is
     * discarded, the connection leaves its rooms and is cleaned up on a closer thread, and its session is closed
     * once the send in flight, if any, has completed or failed (at most {@code covet.outbound.send-timeout} and 5 s
     * later), since a container may block the closing thread, or lose the close, while its own write is pending.
     *
     * @param code the close code
     * @param reason the reason
     */
    public void forceClose(int code, String reason) {
        if (OPEN.compareAndSet(this, true, false)) {
            // The caller may hold a room's lock (a broadcast that overflowed this queue): leave rooms elsewhere.
            if (!closers.submit(() -> {
                runClosing();
                closeAfterSendInFlight(code, reason);
                // Gone for the application now, not when the container reports the close (after the send in flight).
                cleanup(code, reason);
            })) {
                Unnested.run(() -> closeAfterSendInFlight(code, reason));
            }
        }
    }

    /**
     * Discards the queue and closes the session once the send in flight, if any, has completed or failed, or at the
     * latest 5 s after the send timeout, by which time a container that enforces it has failed the send.
     */
    private void closeAfterSendInFlight(int code, String reason) {
        if (!queue.abandonThenClose(() -> closeUnlessWriteFailed(code, reason))) {
            closers.after(liveness.timeout().plusSeconds(5), queue::closeOverdue);
        }
    }

    /**
     * Closes the session, or, after the container failed a write (a send timeout, the peer gone), a second later if
     * it is still open: part of a frame may be on the wire, and a close frame behind it would garble the stream.
     * Tomcat closes the socket right after reporting a send timeout, but a close frame written first lands behind the
     * partial frame (seen over the wire: the client read a close code made of that frame's bytes); Jetty 12 and
     * Undertow drop such a connection themselves.
     */
    private void closeUnlessWriteFailed(int code, String reason) {
        if (writeFailed) {
            closers.after(CONTAINER_FIRST, () -> {
                if (session.isOpen()) {
                    closeSession(code, reason);
                }
            });
        } else {
            closers.run(() -> closeSession(code, reason));
        }
    }

    /**
     * Runs {@code sends} with every connection's flush deferred until it returns ({@code Rooms.batch}).
     *
     * @param sends the sends
     */
    public static void batched(Runnable sends) {
        DeferredFlushes.run(sends);
    }

    /** Sets what runs, once, the moment the connection starts closing (leaving its rooms). */
    public void onClosing(Runnable action) {
        this.closing = action;
    }

    private void runClosing() {
        try {
            closing.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Leaving the rooms of " + this + " failed", e);
        }
    }

    private void closeSession(int code, String reason) {
        try {
            closers.close(session, CloseReasons.of(code, reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing {0} failed: {1}", this, e.toString());
        }
    }

    /**
     * Queues an already serialized frame (a {@link String} or a binary {@code byte[]}).
     *
     * @param frame the frame
     */
    public void enqueue(Object frame) {
        if (open) {
            queue.offer(frame, false, null);
        }
    }

    /**
     * Queues a room broadcast, which the {@code drop-oldest} overflow policy may discard.
     *
     * @param frame the serialized broadcast
     * @param drops counts the frame if the policy discards it (its room's figure)
     */
    public void enqueueBroadcast(String frame, java.util.concurrent.atomic.LongAdder drops) {
        if (open) {
            queue.offer(frame, true, drops);
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

    /**
     * Runs the cleanup action unless it already ran: at once, or, when this thread is ending another connection
     * (whose notices ended this one), right after that ({@link Unnested}).
     */
    public void cleanup(int closeCode, String reason) {
        if (CLEANED_UP.compareAndSet(this, false, true)) {
            open = false;
            Unnested.run(() -> cleanup.accept(closeCode, reason));
        }
    }

    /**
     * Like {@link #cleanup}, but runs the action on a close thread (here, unnested, when all are busy): the action
     * fires the application's {@code Disconnected} observers, which may block, and the heartbeat sweep, which calls
     * this, serves every connection. Claimed at once, so the sweep does not find this connection again.
     */
    void cleanupElsewhere(int closeCode, String reason) {
        if (CLEANED_UP.compareAndSet(this, false, true)) {
            open = false;
            closers.run(() -> Unnested.run(() -> cleanup.accept(closeCode, reason)));
        }
    }

    /** @return whether the cleanup action has run or is under way */
    boolean cleanedUp() {
        return cleanedUp;
    }

    /**
     * Checks the inbound rate limits for one message.
     *
     * @param bytes the message size
     * @param now {@link TimeSource#nanoTime()}
     * @return 0 when allowed, else nanoseconds until it would be
     */
    public long acquire(long bytes, long now) {
        return limiter.tryAcquire(bytes, now);
    }

    /** Records a rate-limit violation; true when the connection must now be closed. */
    public boolean violation(long now) {
        return limiter.violation(now);
    }

    /**
     * Whether the same write has been in flight for longer than {@code covet.outbound.send-timeout}, for containers
     * that do not fail it themselves; called by the heartbeat sweep only.
     *
     * @param now {@link TimeSource#nanoTime()}
     * @return true when the peer has taken too long: the caller closes it as a slow consumer
     */
    boolean writeOverdue(long now) {
        return liveness.overdue(queue.writeInFlight(), now);
    }

    /**
     * The container reports the session closed. A 1006 while one write was stuck ({@link Liveness#stuck}: Jetty 12's
     * own send timeout) is reported as the slow consumer it is (4008), as on the containers that fail the send first.
     *
     * @param code the close code the container reports
     * @param reason its reason
     * @param now {@link TimeSource#nanoTime()}
     */
    public void containerClosed(int code, String reason, long now) {
        if (code == CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode() && isOpen()
                && liveness.stuck(queue.writeInFlight(), now)) {
            counters.slowConsumerClose();
            cleanup(CloseCodes.SLOW_CONSUMER, "slow consumer");
        } else {
            cleanup(code, reason);
        }
    }

    /** Closes the connection with 4008: one write did not complete within the send timeout. */
    void writeTimedOut() {
        slowConsumer("a write did not complete within covet.outbound.send-timeout");
    }

    /** The peer answered a ping. */
    public void ponged() {
        liveness.ponged();
    }

    /** @return what the heartbeat sweep watches of this connection */
    Liveness liveness() {
        return liveness;
    }

    /** Queues a ping; the heartbeat sweep closes the connection if no pong follows in time. */
    void ping(long now) {
        liveness.pinged(now);
        queue.ping();
    }

    /** @return whether this connection's ping waits for a ping thread ({@link OutboundQueue#pingWaiting}) */
    boolean pingWaiting() {
        return queue.pingWaiting();
    }

    /** @return nanoseconds since the session was first seen closed while still registered, 0 while open */
    long notOpenFor(long now) {
        return liveness.notOpenFor(session.isOpen(), now);
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

    /** Closes a peer that does not read fast enough with 4008, counted once. */
    private void slowConsumer(String why) {
        if (isOpen()) {
            counters.slowConsumerClose();
            LOG.log(System.Logger.Level.DEBUG, "Closing {0}, a slow consumer: {1}", this, why);
        }
        forceClose(CloseCodes.SLOW_CONSUMER, "slow consumer");
    }

    /**
     * A send the container failed: one that did not complete within {@code covet.outbound.send-timeout} makes a slow
     * consumer (4008) — the container says so, or the sweep had seen it in flight for half of it (Undertow reports its
     * send timeout as a broken connection); any other failure (the peer is gone) ends the connection with 1001.
     */
    private void sendFailed(Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "Send to {0} failed: {1}", this, String.valueOf(failure));
        writeFailed = true;
        if (Liveness.timedOut(failure) || liveness.watchedWriteWasStuck()) {
            slowConsumer("the container failed a write after covet.outbound.send-timeout");
        } else {
            forceClose(CloseCodes.GOING_AWAY, "send failed");
        }
    }

    @Override
    public String toString() {
        UserPrincipal user = principal;
        return user == null ? "connection " + id : "connection " + id + " (user " + user.getName() + ")";
    }
}
