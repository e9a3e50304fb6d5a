package dev.covet.websocket.spi;

import java.util.Map;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import dev.covet.websocket.Covet;

/**
 * The service {@link Covet#install} loads; implemented by the covet-websocket jar, not by applications.
 */
public interface CovetProvider {

    /**
     * Validates configuration and registers the endpoint.
     *
     * @param container the container
     * @param settings lowest-precedence configuration values
     * @return the installation handle
     * @throws DeploymentException when configuration is invalid or registration fails
     */
    Covet.Installation install(ServerContainer container, Map<String, String> settings) throws DeploymentException;
}
