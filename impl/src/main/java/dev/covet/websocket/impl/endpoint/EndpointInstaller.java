package dev.covet.websocket.impl.endpoint;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.covet.websocket.Covet;
import dev.covet.websocket.impl.auth.HandshakeAuthenticator;
import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.spi.CovetProvider;

/**
 * Reads the configuration, then registers {@link CovetEndpoint} at {@code covet.path} with the configurator and
 * the container's own permessage-deflate where it needs to be named.
 *
 * <p>Used by {@link CovetServletInitializer} in servlet containers and by {@link Covet#install} elsewhere.
 */
public final class EndpointInstaller implements CovetProvider {

    private static final System.Logger LOG = System.getLogger(EndpointInstaller.class.getName());

    @Override
    public Covet.Installation install(ServerContainer container, Map<String, String> settings)
            throws DeploymentException {
        return install(container, settings::get);
    }

    /**
     * Installs with init-parameters from the given lookup.
     *
     * @param container the WebSocket container
     * @param initParameters init-parameter lookup returning null when unset
     * @return the installation handle
     * @throws DeploymentException when the configuration is invalid or registration fails
     */
    static Covet.Installation install(ServerContainer container, Function<String, String> initParameters)
            throws DeploymentException {
        CovetConfig config = CovetConfig.load(ConfigSource.standard(initParameters));
        CDI.current().select(CurrentConfig.class).get().set(config);
        CovetConfigurator configurator = new CovetConfigurator(new OriginPolicy(config),
                new HandshakeAuthenticator(config));
        List<Extension> extensions = Compression.extensionsFor(container, config.get(Settings.MAX_MESSAGE_BYTES));
        ServerEndpointConfig endpoint = ServerEndpointConfig.Builder
                .create(CovetEndpoint.class, config.get(Settings.PATH))
                .configurator(configurator)
                .extensions(extensions)
                .build();
        endpoint.getUserProperties().put(Installation.KEY, new Installation(config, configurator));
        container.addEndpoint(endpoint);
        LOG.log(System.Logger.Level.INFO, "Covet WebSocket endpoint at {0} (container {1}, {2}, anonymous {3})",
                config.get(Settings.PATH), container.getClass().getName(),
                extensions.isEmpty() ? "container-default extensions" : "permessage-deflate added",
                config.get(Settings.AUTH_ANONYMOUS));
        return EndpointInstaller::closeAll;
    }

    private static void closeAll() {
        try {
            CDI.current().select(ConnectionRegistry.class).get().closeAll();
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "CDI already stopped; connections close with the container");
        }
    }
}
