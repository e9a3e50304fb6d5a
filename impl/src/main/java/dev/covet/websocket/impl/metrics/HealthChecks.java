package dev.covet.websocket.impl.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.CDI;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import dev.covet.websocket.CovetHealth;

/**
 * {@link CovetHealth} as MicroProfile Health checks, {@code covet-liveness} ({@code @Liveness}) and
 * {@code covet-readiness} ({@code @Readiness}), so that {@code /health/live} and {@code /health/ready} of Payara,
 * WildFly (with MicroProfile Health) and Liberty ({@code mpHealth}) include the library. Added as synthetic beans by
 * the library's CDI extension only when the MicroProfile Health API is present; this class is not loaded otherwise.
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /**
     * Adds the two checks to the deployment.
     *
     * @param discovery the container event to add them with
     */
    public static void addBeans(AfterBeanDiscovery discovery) {
        add(discovery, "covet-liveness", CovetHealth::liveness, true);
        add(discovery, "covet-readiness", CovetHealth::readiness, false);
    }

    private static void add(AfterBeanDiscovery discovery, String name, Function<CovetHealth, CovetHealth.Status> status,
                            boolean liveness) {
        discovery.addBean().beanClass(HealthChecks.class).types(HealthCheck.class, Object.class)
                .qualifiers(liveness ? Liveness.Literal.INSTANCE : Readiness.Literal.INSTANCE)
                .scope(ApplicationScoped.class).id("covet-" + name)
                .createWith(context -> (HealthCheck) () -> response(name,
                        status.apply(CDI.current().select(CovetHealth.class).get())));
    }

    private static HealthCheckResponse response(String name, CovetHealth.Status status) {
        Map<String, Object> data = new LinkedHashMap<>();
        status.details().forEach((key, value) -> data.put(key, value instanceof Number || value instanceof Boolean
                ? value : String.valueOf(value)));
        return new HealthCheckResponse(name, status.up() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }
}
