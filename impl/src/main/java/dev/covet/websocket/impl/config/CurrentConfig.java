package dev.covet.websocket.impl.config;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hands the configuration validated at installation to the library's CDI beans.
 *
 * <p>Application-scoped; set once by the installer before the endpoint is registered, read afterwards.
 */
@ApplicationScoped
public class CurrentConfig {

    private volatile CovetConfig config;

    /** Records the configuration of this deployment. */
    public void set(CovetConfig config) {
        this.config = config;
    }

    /**
     * The configuration of this deployment.
     *
     * @return the configuration
     * @throws IllegalStateException before installation
     */
    public CovetConfig get() {
        CovetConfig current = config;
        if (current == null) {
            throw new IllegalStateException("Covet is not installed in this deployment");
        }
        return current;
    }

    /** @return whether the deployment's configuration has been set (the library is installed) */
    public boolean isSet() {
        return config != null;
    }
}
