package dev.covet.websocket.impl.metrics;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.covet.websocket.CovetStats;

/** Holds the deployment's MBean from installation to undeploy (or the standalone installation's close). */
@ApplicationScoped
public class JmxRegistration {

    @Inject
    CovetStats stats;

    private volatile StatsMBean registered;

    /**
     * Registers the deployment's MBean, once.
     *
     * @param contextPath the application's context path
     */
    public synchronized void register(String contextPath) {
        if (registered == null) {
            registered = StatsMBean.register(stats, contextPath);
        }
    }

    /** Unregisters it; safe to call more than once. */
    @PreDestroy
    public synchronized void unregister() {
        if (registered != null) {
            registered.unregister();
            registered = null;
        }
    }
}
