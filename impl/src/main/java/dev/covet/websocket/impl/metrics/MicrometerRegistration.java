package dev.covet.websocket.impl.metrics;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.impl.routing.RouteExtension;

/**
 * Binds the deployment's meters to Micrometer when the application has Micrometer, from installation to undeploy;
 * without it, does nothing and never loads a Micrometer class.
 */
@ApplicationScoped
public class MicrometerRegistration {

    private static final System.Logger LOG = System.getLogger(MicrometerRegistration.class.getName());

    @Inject
    CovetStats stats;
    @Inject
    RouteExtension routes;

    private AutoCloseable bound;

    /**
     * Binds the meters, once, when Micrometer is on the application's class path.
     *
     * @param contextPath the application's context path
     */
    public synchronized void register(String contextPath) {
        if (bound != null || !micrometerPresent()) {
            return;
        }
        bound = MicrometerMeters.bind(stats, routes.handlerStats(), contextPath.isEmpty() ? "/" : contextPath);
        LOG.log(System.Logger.Level.INFO, "Covet meters bound to Micrometer (app ''{0}'')",
                contextPath.isEmpty() ? "/" : contextPath);
    }

    private static boolean micrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false,
                    MicrometerRegistration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Removes the meters; safe to call more than once. */
    @PreDestroy
    public synchronized void unregister() {
        if (bound != null) {
            try {
                bound.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "Removing the meters failed: {0}", e.toString());
            }
            bound = null;
        }
    }
}
