package dev.covet.websocket.impl.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Optional;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.Connected;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.CloseReasons;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.Heartbeats;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.impl.routing.Router;

/**
 * The one portable endpoint: one {@code @Dependent} instance per connection, obtained from CDI.
 *
 * <p>A connection refused at the handshake (1008) or over a connection limit (1013) is closed here, before
 * {@link Connected} or any routing. Every admitted connection is cleaned up exactly once, whether the container
 * calls {@code onClose} or the heartbeat sweep finds it dead.
 */
@Dependent
public class CovetEndpoint extends Endpoint {

    private static final System.Logger LOG = System.getLogger(CovetEndpoint.class.getName());

    @Inject
    ConnectionRegistry registry;
    @Inject
    LocalRooms rooms;
    @Inject
    Heartbeats heartbeats;
    @Inject
    LifecycleEvents lifecycle;

    private Router router;
    private Envelopes envelopes;
    private Counters counters;
    private TimeSource time;

    private Installation installation;
    private DefaultConnection connection;
    private int maxMessageBytes;

    /** Keeps the beans called for every frame themselves, not their client proxies. */
    @Inject
    void messagePath(Router routing, Envelopes codec, Counters figures, TimeSource clocks) {
        router = routing.unproxied().get();
        envelopes = codec.unproxied().get();
        counters = figures.unproxied().get();
        time = clocks.unproxied().get();
    }

    /** Called by the configurator that created this instance, before the container opens it. */
    void bind(Installation deployment) {
        installation = deployment;
    }


    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // Read once and dropped: the connection keeps what it needs, and an idle session holds nothing more.
        Handshake handshake = session.getUserProperties().remove(Handshake.KEY) instanceof Handshake h ? h
                : Handshake.checked(AuthOutcome.refused("unauthorized"), null, null);
        AuthOutcome auth = handshake.outcome();
        if (auth.isRefused()) {
            String reason = auth.refusal().orElseThrow();
            counters.refused(auth.statsKey());
            LOG.log(System.Logger.Level.DEBUG, "Refused handshake: {0}", reason);
            refuse(session, CloseReason.CloseCodes.VIOLATED_POLICY, reason);
            return;
        }
        CovetConfig settings = installation.config();
        InetSocketAddress client = handshake.client() != null ? handshake.client()
                : ClientAddress.resolve(RemoteAddresses.of(session), handshake.forwarded(), handshake.xForwardedFor(),
                        settings.get(Settings.TRUSTED_PROXIES));
        String ip = ClientAddress.ip(client);
        String user = auth.principal().map(Principal::getName).orElse(null);
        Optional<String> overLimit = handshake.overLimit() != null ? Optional.of(handshake.overLimit())
                : registry.claimOrAdmit(ip, user);
        if (overLimit.isPresent()) {
            counters.refused(overLimit.get());
            if (overLimit.get().equals("shutting-down")) {
                refuse(session, CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
            } else {
                refuse(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, "over capacity: " + overLimit.get());
            }
            return;
        }
        open(session, settings, auth, client, ip, user);
    }

    /**
     * Tyrus (also inside Payara and GlassFish) reschedules an idle-timeout task on a shared executor for every frame
     * sent or received while the timeout is 0, which means "never"; -1 means the same (JSR-356: zero or negative)
     * and schedules nothing. Covet's heartbeats find dead peers. Other containers keep what they have.
     */
    private static void neverIdleWithoutATimer(Session session) {
        if (session.getMaxIdleTimeout() == 0 && session.getClass().getName().startsWith("org.glassfish.tyrus.")) {
            session.setMaxIdleTimeout(-1);
        }
    }

    private void open(Session session, CovetConfig settings, AuthOutcome auth, InetSocketAddress client, String ip,
                      String user) {
        maxMessageBytes = settings.get(Settings.MAX_MESSAGE_BYTES);
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        neverIdleWithoutATimer(session);
        DefaultConnection opened = new DefaultConnection(session, auth.principal().orElse(null), client, envelopes,
                counters, installation.limits(), settings, registry.closers(), time.nanoTime());
        opened.credentials().handshake(auth.expiresAt().orElse(null), auth.isPending()
                ? Math.max(1, time.nanoTime() + settings.get(Settings.AUTH_FIRST_MESSAGE_TIMEOUT).toNanos()) : 0,
                installation.authenticator().inBand());
        opened.onCleanup((code, reason) -> cleanup(opened, ip, user, code, reason));
        opened.onClosing(() -> rooms.leaveAll(opened));
        connection = opened;
        registry.add(opened);
        counters.opened(session.getNegotiatedExtensions().stream()
                .anyMatch(e -> "permessage-deflate".equals(e.getName())));
        session.addMessageHandler(String.class, this::onText);
        session.addMessageHandler(ByteBuffer.class, this::onBinary);
        session.addMessageHandler(PongMessage.class, pong -> opened.ponged());
        heartbeats.start();
        LOG.log(System.Logger.Level.DEBUG, "Opened {0}", opened);
        if (!opened.credentials().pending()) {
            lifecycle.connected(opened);
        }
    }

    /** Nothing the peer sends after the connection started closing is routed. */
    private void onText(String text) {
        if (!connection.isOpen()) {
            return;
        }
        long bytes = utf8Length(text);
        if (bytes > maxMessageBytes) {
            connection.close(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        if (admitted(bytes, text)) {
            route(() -> router.onText(connection, text));
        }
    }

    private void onBinary(ByteBuffer frame) {
        if (!connection.isOpen()) {
            return;
        }
        if (frame.remaining() > maxMessageBytes) {
            connection.close(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        if (admitted(frame.remaining(), null)) {
            route(() -> router.onBinary(connection, frame));
        }
    }

    /** Counts the message and applies the rate limits; a refused message is answered and not routed. */
    private boolean admitted(long bytes, String text) {
        counters.received(bytes);
        long now = time.nanoTime();
        long wait = connection.acquire(bytes, now);
        if (wait == 0) {
            return true;
        }
        counters.rateLimited();
        router.refuseRateLimited(connection, text, wait);
        if (connection.violation(now)) {
            counters.rateLimitClose();
            connection.close(CloseCodes.RATE_LIMITED, "rate limited");
        }
        return false;
    }

    /** The router answers every failure it knows; anything else is logged and answered as {@code internal}. */
    private void route(Runnable routing) {
        try {
            routing.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Routing failed on " + connection, e);
            connection.sendError(null, ErrorCode.INTERNAL, "Internal server error");
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (connection != null) {
            connection.containerClosed(closeReason.getCloseCode().getCode(),
                    closeReason.getReasonPhrase() == null ? "" : closeReason.getReasonPhrase(), time.nanoTime());
        } else if (installation != null) {
            installation.configurator().release(this);
        }
    }

    private void cleanup(DefaultConnection closed, String ip, String user, int code, String reason) {
        boolean announced = !closed.credentials().pending();
        // Rooms first: once a connection no longer counts (Connections.count), it is in no room either.
        try {
            rooms.leaveAll(closed);
        } finally {
            registry.remove(closed, ip, user != null ? user : closed.credentials().inBandSlot());
        }
        counters.closed();
        if (code == CloseCodes.TOO_BIG) {
            counters.tooBig();
        }
        LOG.log(System.Logger.Level.DEBUG, "Closed {0}: {1}", closed, code);
        try {
            if (announced) {
                lifecycle.disconnected(closed, code, reason);
            }
        } finally {
            installation.configurator().release(this);
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "Error on {0}: {1}", connection, String.valueOf(failure));
    }

    private static void refuse(Session session, CloseReason.CloseCode code, String reason) {
        try {
            session.close(CloseReasons.of(code.getCode(), reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing a refused connection failed: {0}", e.toString());
        }
    }

    /** The UTF-8 size of the text, computed without encoding it. */
    private static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }
}
