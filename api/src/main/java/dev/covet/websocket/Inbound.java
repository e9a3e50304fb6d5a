package dev.covet.websocket;

import java.util.Optional;

/**
 * One message from a client, bound and validated, as seen by the observer method that handles its event.
 *
 * <p>Exactly one answer is sent for a request that carries an {@code id}: the handler's {@link #reply},
 * {@link #ack} or {@link #fail}, or, if the handler returns without answering, an automatic {@code ack};
 * if it throws, an {@code internal} error. A second answer is refused with {@link IllegalStateException}.
 * For a message without an {@code id}, {@code reply} and {@code fail} still reach the client (without
 * {@code replyTo}) and {@code ack} does nothing. Instances are safe to use from any thread.
 *
 * <pre>{@code
 * void rename(@Observes @Route("profile.rename") Inbound<Rename> in) {
 *     in.reply(profiles.rename(in.connection(), in.payload().name()));
 * }
 * }</pre>
 *
 * @param <T> the type the envelope's {@code data} was bound to
 */
public interface Inbound<T> {

    /**
     * The event name, as sent by the client.
     *
     * @return the event name, never null
     */
    String event();

    /**
     * The correlation id of a request.
     *
     * @return the client's {@code id}, or empty for a fire-and-forget message
     */
    Optional<String> id();

    /**
     * The bound and validated {@code data}.
     *
     * @return the payload; null only when the client sent no {@code data} and {@code T} allows it
     */
    T payload();

    /**
     * The connection the message came from.
     *
     * @return the connection, never null
     */
    Connection connection();

    /**
     * Answers the request with {@code {"event":<event>,"replyTo":<id>,"data":<data>}}.
     *
     * @param data the reply body, serialized with JSON-B; may be null
     * @throws IllegalStateException if this message was already answered
     */
    void reply(Object data);

    /**
     * Answers the request with {@code {"event":"ack","replyTo":<id>}}.
     *
     * @throws IllegalStateException if this message was already answered
     */
    void ack();

    /**
     * Answers the request with an {@code error} envelope carrying the given code and message.
     *
     * @param code the stable error code
     * @param message a short human-readable fact; never include secrets or message bodies
     * @throws IllegalStateException if this message was already answered
     */
    void fail(ErrorCode code, String message);
}
