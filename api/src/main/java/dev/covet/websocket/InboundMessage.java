package dev.covet.websocket;

import java.util.Optional;

/**
 * A decoded envelope before binding, as interceptors see it: the event, the correlation id and the raw JSON data.
 *
 * <p>Immutable. Interceptors rewrite a message by returning {@link Verdict#proceed(InboundMessage)} with a copy
 * made by {@link #withEvent} or {@link #withData}.
 *
 * @param event the event name, never null
 * @param id the correlation id, or empty
 * @param data the {@code data} member as JSON text ({@code null} JSON when absent), never null
 * @param connection the sending connection, never null
 */
public record InboundMessage(String event, Optional<String> id, String data, Connection connection) {

    /**
     * Returns a copy routed to another event.
     *
     * @param newEvent the event name to route to
     * @return the copy
     */
    public InboundMessage withEvent(String newEvent) {
        return new InboundMessage(newEvent, id, data, connection);
    }

    /**
     * Returns a copy with other JSON data.
     *
     * @param newData the new {@code data}, as JSON text
     * @return the copy
     */
    public InboundMessage withData(String newData) {
        return new InboundMessage(event, id, newData, connection);
    }
}
