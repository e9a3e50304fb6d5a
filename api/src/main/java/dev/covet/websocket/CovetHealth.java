package dev.covet.websocket;

import java.util.Map;
import java.util.Objects;

/**
 * Whether the library can serve connections, for a load balancer's health check: the library's
 * {@code @ApplicationScoped} bean, readable without any health framework (the chat sample's {@code /health} uses
 * it). Details never contain secrets. Thread-safe.
 *
 * <pre>{@code
 * @Inject CovetHealth health;
 * CovetHealth.Status ready = health.readiness();
 * response.setStatus(ready.up() ? 200 : 503);
 * }</pre>
 */
public interface CovetHealth {

    /**
     * Ready: installed and accepting connections, not shutting down.
     *
     * @return the status, with {@code connections}, {@code maxConnections} and {@code shuttingDown} details
     */
    Status readiness();

    /**
     * Live: the library's housekeeping thread (heartbeats, expiry, cleanup) ran recently, or has nothing to do yet.
     *
     * @return the status, with {@code lastSweepMillisAgo} where a sweep ran
     */
    Status liveness();

    /**
     * A health status.
     *
     * @param up whether the check passes
     * @param details figures that explain it, never secrets
     */
    record Status(boolean up, Map<String, Object> details) {

        /** Copies the details. */
        public Status {
            details = Map.copyOf(Objects.requireNonNull(details, "details"));
        }

        /** @return {@code UP} or {@code DOWN}, as health endpoints spell it */
        public String name() {
            return up ? "UP" : "DOWN";
        }
    }
}
