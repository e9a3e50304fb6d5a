package dev.covet.websocket.impl;

import static dev.covet.websocket.impl.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.CovetHealth;
import dev.covet.websocket.impl.connection.ConnectionRegistry;

/** Readiness follows the library's life (ready once installed, not while shutting down); liveness its sweep. */
class HealthTest {

    @Test
    void readyWhileServingNotWhileShuttingDownAndLiveWhileTheSweepRuns() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.heartbeat.interval", "200ms",
                "covet.shutdown.flush-timeout", "0s"), TestHandlers.ALL)) {
            CovetHealth health = server.bean(CovetHealth.class);
            assertThat(health.readiness().up()).isTrue();
            assertThat(health.readiness().details()).containsEntry("shuttingDown", false)
                    .containsEntry("maxConnections", 10000);
            try (WireClient client = WireClient.withToken(server.uri(), "healthy")) {
                request(client, "ping", "null");
                assertThat(health.readiness().details()).containsEntry("connections", 1);
                await("a heartbeat sweep ran").atMost(Duration.ofSeconds(10))
                        .until(() -> health.liveness().details().containsKey("lastSweepMillisAgo"));
                assertThat(health.liveness().up()).isTrue();
                server.bean(ConnectionRegistry.class).closeAll();
                assertThat(health.readiness().up()).as("shutting down").isFalse();
                assertThat(health.readiness().name()).isEqualTo("DOWN");
                assertThat(client.closeCode()).isEqualTo(1001);
            }
        }
    }
}
