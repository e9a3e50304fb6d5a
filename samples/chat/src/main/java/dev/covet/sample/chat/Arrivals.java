package dev.covet.sample.chat;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.covet.websocket.Connected;

/**
 * Counts the connections the application itself was told about, so that {@code /api/stats} can show that refused
 * handshakes never reach application code.
 */
@ApplicationScoped
public class Arrivals {

    private final AtomicLong connected = new AtomicLong();

    void connected(@Observes Connected event) {
        connected.incrementAndGet();
    }

    /** @return how many {@link Connected} events the application has observed */
    public long count() {
        return connected.get();
    }
}
