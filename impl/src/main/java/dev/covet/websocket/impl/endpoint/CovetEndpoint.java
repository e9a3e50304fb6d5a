package dev.covet.websocket.impl.endpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.Connected;
import dev.covet.websocket.Disconnected;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.impl.routing.Router;

/**
 * The one portable endpoint: one {@code @Dependent} instance per connection, obtained from CDI.
 *
 * <p>A connection refused at the handshake is closed with 1008 here, before {@link Connected} or any routing.
 */
@Dependent
public class CovetEndpoint extends Endpoint {

    private static final System.Logger LOG = System.getLogger(CovetEndpoint.class.getName());

    @Inject
    Router router;
    @Inject
    ConnectionRegistry registry;
    @Inject
    LocalRooms rooms;
    @Inject
    Envelopes envelopes;
    @Inject
    Event<Object> events;

    private Installation installation;
    private DefaultConnection connection;
    private int maxMessageBytes;

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        installation = (Installation) config.getUserProperties().get(Installation.KEY);
        Object outcome = session.getUserProperties().get(CovetConfigurator.OUTCOME);
        AuthOutcome auth = outcome instanceof AuthOutcome a ? a : AuthOutcome.refused("unauthorized");
        if (auth.isRefused()) {
            LOG.log(System.Logger.Level.DEBUG, "Refused handshake: {0}", auth.refusal().orElseThrow());
            refuse(session, auth.refusal().orElseThrow());
            return;
        }
        maxMessageBytes = installation.config().get(Settings.MAX_MESSAGE_BYTES);
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        connection = new DefaultConnection(session, auth.principal().orElse(null), RemoteAddresses.of(session),
                envelopes, installation.config().get(Settings.OUTBOUND_MAX_MESSAGES),
                installation.config().get(Settings.OUTBOUND_MAX_BYTES));
        registry.add(connection);
        session.addMessageHandler(String.class, this::onText);
        session.addMessageHandler(ByteBuffer.class, this::onBinary);
        LOG.log(System.Logger.Level.DEBUG, "Opened {0}", connection);
        events.select(Connected.class).fire(new Connected(connection));
    }

    private void onText(String text) {
        if (text.length() > maxMessageBytes
                || text.length() * 3L > maxMessageBytes && utf8Length(text) > maxMessageBytes) {
            connection.close(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        route(() -> router.onText(connection, text));
    }

    private void onBinary(ByteBuffer frame) {
        if (frame.remaining() > maxMessageBytes) {
            connection.close(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        route(() -> router.onBinary(connection, frame));
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
        DefaultConnection closed = connection;
        connection = null;
        if (closed != null) {
            closed.markClosed();
            registry.remove(session.getId());
            rooms.leaveAll(closed);
            LOG.log(System.Logger.Level.DEBUG, "Closed {0}: {1}", closed, closeReason.getCloseCode().getCode());
            events.select(Disconnected.class).fire(new Disconnected(closed, closeReason.getCloseCode().getCode(),
                    closeReason.getReasonPhrase() == null ? "" : closeReason.getReasonPhrase()));
        }
        if (installation != null) {
            installation.configurator().release(this);
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "Error on {0}: {1}", connection, String.valueOf(failure));
    }

    private static void refuse(Session session, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing a refused connection failed: {0}", e.toString());
        }
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
