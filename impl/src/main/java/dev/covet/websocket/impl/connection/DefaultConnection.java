package dev.covet.websocket.impl.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * The library's {@link Connection}: a session, its principal and its serialized outbound queue.
 *
 * <p>Thread-safe. Frames queued after the connection started closing are discarded: the peer can no longer
 * receive them.
 */
public final class DefaultConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(DefaultConnection.class.getName());

    private final String id = UUID.randomUUID().toString();
    private final Session session;
    private final Principal principal;
    private final InetSocketAddress remoteAddress;
    private final Envelopes envelopes;
    private final OutboundQueue queue;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean open = new AtomicBoolean(true);

    /**
     * Wraps an open session.
     *
     * @param session the container's session
     * @param principal the authenticated principal, or null for anonymous
     * @param remoteAddress the peer address, or null when unknown
     * @param envelopes the envelope writer
     * @param maxMessages outbound queue bound in messages
     * @param maxBytes outbound queue bound in bytes
     */
    public DefaultConnection(Session session, Principal principal, InetSocketAddress remoteAddress,
                             Envelopes envelopes, int maxMessages, long maxBytes) {
        this.session = session;
        this.principal = principal;
        this.remoteAddress = remoteAddress;
        this.envelopes = envelopes;
        this.queue = new OutboundQueue(session.getAsyncRemote(), maxMessages, maxBytes,
                reason -> close(CloseCodes.SLOW_CONSUMER, "slow consumer"), this::sendFailed);
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
        return attributes;
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
        return open.get();
    }

    @Override
    public void close(int code, String reason) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
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
        if (open.get()) {
            queue.offer(frame);
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

    /** Marks the connection closed by the peer or container; no more frames are queued. */
    public void markClosed() {
        open.set(false);
    }

    /** @return the rooms this connection belongs to; maintained by the room registry */
    public Set<String> rooms() {
        return rooms;
    }

    /** @return the container session id */
    public String sessionId() {
        return session.getId();
    }

    private void sendFailed(Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "Send to connection {0} failed: {1}", id, String.valueOf(failure));
        close(CloseCodes.GOING_AWAY, "send failed");
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
