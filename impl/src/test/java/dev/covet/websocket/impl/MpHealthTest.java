package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * With the MicroProfile Health API present (as on Payara, WildFly, Liberty), the deployment has the library's
 * {@code @Liveness} and {@code @Readiness} checks, answering what {@code CovetHealth} says.
 */
class MpHealthTest {

    @Test
    void theChecksAreBeansThatReportTheLibrarysHealth() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), TestHandlers.ALL)) {
            HealthCheckResponse ready = server.select(HealthCheck.class, Readiness.Literal.INSTANCE).call();
            assertThat(ready.getName()).isEqualTo("covet-readiness");
            assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(ready.getData()).hasValueSatisfying(data -> assertThat(data)
                    .containsEntry("installed", true).containsEntry("cluster", "local").containsEntry("connections", 0L)
                    .containsEntry("maxConnections", 10_000L));
            // MicroProfile Health data is a string, a long or a boolean: Liberty fails the whole /health/ready with a
            // ClassCastException on an Integer, and WildFly leaves it out.
            assertThat(ready.getData().orElseThrow().values())
                    .allMatch(value -> value instanceof String || value instanceof Long || value instanceof Boolean);
            HealthCheckResponse live = server.select(HealthCheck.class, Liveness.Literal.INSTANCE).call();
            assertThat(live.getName()).isEqualTo("covet-liveness");
            assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
    }
}
