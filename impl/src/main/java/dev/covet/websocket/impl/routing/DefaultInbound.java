package dev.covet.websocket.impl.routing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.Inbound;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * The {@link Inbound} handed to an observer; guarantees at most one answer per message.
 *
 * @param <T> the payload type
 */
final class DefaultInbound<T> implements Inbound<T> {

    private final String event;
    private final Optional<String> id;
    private final T payload;
    private final DefaultConnection connection;
    private final Envelopes envelopes;
    private final boolean binaryReplies;
    private final AtomicBoolean answered = new AtomicBoolean();

    DefaultInbound(String event, Optional<String> id, T payload, DefaultConnection connection,
                   Envelopes envelopes, boolean binaryReplies) {
        this.event = event;
        this.id = id;
        this.payload = payload;
        this.connection = connection;
        this.envelopes = envelopes;
        this.binaryReplies = binaryReplies;
    }

    @Override
    public String event() {
        return event;
    }

    @Override
    public Optional<String> id() {
        return id;
    }

    @Override
    public T payload() {
        return payload;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void reply(Object data) {
        answer();
        if (binaryReplies && data instanceof byte[] bytes) {
            connection.enqueue(envelopes.binary(event, id.orElse(null), bytes));
        } else {
            connection.enqueue(envelopes.reply(event, id.orElse(null), data));
        }
    }

    /** Replies with data that is already JSON text. */
    void replyJson(String dataJson) {
        answer();
        connection.enqueue(envelopes.replyJson(event, id.orElse(null), dataJson));
    }

    @Override
    public void ack() {
        answer();
        id.ifPresent(replyTo -> connection.enqueue(envelopes.ack(replyTo)));
    }

    @Override
    public void fail(ErrorCode code, String message) {
        answer();
        connection.enqueue(envelopes.error(id.orElse(null), code, message, List.of()));
    }

    /** Sends the automatic ack unless the handler answered. */
    void ackIfUnanswered() {
        if (id.isPresent() && answered.compareAndSet(false, true)) {
            connection.enqueue(envelopes.ack(id.get()));
        }
    }

    /** Sends {@code internal} unless the handler already answered; the cause is logged by the caller. */
    void failIfUnanswered() {
        failIfUnanswered(ErrorCode.INTERNAL, "Internal server error");
    }

    /** Sends an error unless the handler already answered. */
    void failIfUnanswered(ErrorCode code, String message) {
        if (answered.compareAndSet(false, true)) {
            connection.enqueue(envelopes.error(id.orElse(null), code, message, List.of()));
        }
    }

    private void answer() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("Message '" + event + "'" + id.map(i -> " id '" + i + "'").orElse("")
                    + " was already answered");
        }
    }
}
