package dev.covet.websocket.impl.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.CDI;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import dev.covet.websocket.CovetHealth;

/**
 * {@link CovetHealth} as MicroProfile Health checks, {@code covet-liveness} ({@code @Liveness}) and
 * {@code covet-readiness} ({@code @Readiness}), so that {@code /health/live} and {@code /health/ready} of Payara,
 * WildFly (with MicroProfile Health) and Liberty ({@code mpHealth}) include the library. The check classes carry no
 * bean-defining annotation: the library's CDI extension adds them only when the MicroProfile Health API is present,
 * and they are not loaded otherwise. They look {@link CovetHealth} up through {@code CDI.current()}: a type added by an
 * extension is not in a bean archive that sees the library's beans on Payara, so it cannot have them injected.
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /**
     * Adds the two checks to the deployment, as ordinary beans with their qualifiers, which is what every MicroProfile
     * Health implementation looks for.
     *
     * @param discovery the container event to add them with
     */
    public static void addTypes(BeforeBeanDiscovery discovery) {
        discovery.addAnnotatedType(LivenessCheck.class, "covet-liveness");
        discovery.addAnnotatedType(ReadinessCheck.class, "covet-readiness");
    }

    /** {@link CovetHealth#liveness()}. */
    @Liveness
    public static class LivenessCheck implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return response("covet-liveness", CDI.current().select(CovetHealth.class).get().liveness());
        }
    }

    /** {@link CovetHealth#readiness()}. */
    @Readiness
    public static class ReadinessCheck implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return response("covet-readiness", CDI.current().select(CovetHealth.class).get().readiness());
        }
    }

    /**
     * MicroProfile Health data holds only strings, longs and booleans: an {@code Integer} is dropped by WildFly and
     * makes Liberty's whole {@code /health/ready} fail with a {@code ClassCastException}, so numbers become longs.
     */
    private static HealthCheckResponse response(String name, CovetHealth.Status status) {
        Map<String, Object> data = new LinkedHashMap<>();
        status.details().forEach((key, value) -> data.put(key, value instanceof Number number ? number.longValue()
                : value instanceof Boolean ? value : String.valueOf(value)));
        return new HealthCheckResponse(name, status.up() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }
}
