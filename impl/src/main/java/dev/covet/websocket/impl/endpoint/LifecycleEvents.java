package dev.covet.websocket.impl.endpoint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.covet.websocket.Connected;
import dev.covet.websocket.Connection;
import dev.covet.websocket.Disconnected;

/**
 * Fires the connection lifecycle events. One shared bean rather than an {@code Event} injected into every
 * per-connection endpoint, which costs an object per connection.
 */
@ApplicationScoped
class LifecycleEvents {

    @Inject
    Event<Object> events;

    void connected(Connection connection) {
        events.select(Connected.class).fire(new Connected(connection));
    }

    void disconnected(Connection connection, int closeCode, String reason) {
        events.select(Disconnected.class).fire(new Disconnected(connection, closeCode, reason));
    }
}
