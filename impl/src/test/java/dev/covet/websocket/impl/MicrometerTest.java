package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * With Micrometer on the class path and a {@link MeterRegistry} bean, the documented {@code covet.*} meters exist,
 * move with traffic, keep the {@code event} tag to declared events, and are removed when the application stops.
 */
class MicrometerTest {

    /** The application's registry, as a Payara/WildFly/Quarkus-style application would produce it. */
    @ApplicationScoped
    static class Registry {
        @Produces
        @Singleton
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void metersAppearWithTheDocumentedNamesMoveWithTrafficAndGoAway() throws Exception {
        MeterRegistry registry;
        try (TestServer server = TestServer.start(Map.of(), TestHandlers.Notes.class, Registry.class)) {
            registry = server.bean(MeterRegistry.class);
            try (WireClient client = WireClient.withToken(server.uri(), "metered")) {
                client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\",\"tag\":\"t\"}}");
                client.next();
                client.send("{\"event\":\"boom\",\"id\":\"2\",\"data\":{\"text\":\"x\",\"tag\":\"t\"}}");
                client.next();
                client.send("{\"event\":\"no.such.event\",\"id\":\"3\"}");
                client.next();
                assertThat(registry.get("covet.connections").tag("app", "/").gauge().value()).isEqualTo(1);
                Timer echo = registry.get("covet.handler").tags("event", "echo", "outcome", "success").timer();
                assertThat(echo.count()).isEqualTo(1);
                assertThat(registry.get("covet.handler").tags("event", "boom", "outcome", "error").timer().count())
                        .isEqualTo(1);
                assertThat(registry.find("covet.handler").tag("event", "no.such.event").meters())
                        .as("no tag for an undeclared event").isEmpty();
                assertThat(registry.get("covet.messages.in").functionCounter().count()).isGreaterThanOrEqualTo(3);
                assertThat(registry.get("covet.messages.out").functionCounter().count()).isGreaterThanOrEqualTo(3);
                assertThat(registry.get("covet.connections.opened").functionCounter().count()).isEqualTo(1);
            }
            try {
                HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(server.uri() + "?access_token=bad"),
                        new java.net.http.WebSocket.Listener() { }).get();
            } catch (ExecutionException refused) {
                assertThat(refused.getCause()).isInstanceOfAny(WebSocketHandshakeException.class,
                        java.io.IOException.class);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("covet.connections.refused")
                    .tag("reason", "unauthorized").functionCounter().count() >= 1);
            assertThat(registry.get("covet.cluster.connected").gauge().value()).isEqualTo(1);
        }
        assertThat(registry.find("covet.connections").meters()).as("meters after the application stopped").isEmpty();
        assertThat(registry.find("covet.handler").meters()).isEmpty();
    }
}
