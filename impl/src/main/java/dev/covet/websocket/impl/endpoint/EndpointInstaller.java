package dev.covet.websocket.impl.endpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerContainer;

import dev.covet.websocket.Covet;
import dev.covet.websocket.auth.AuthorizationCheck;
import dev.covet.websocket.auth.HandshakeCheck;
import dev.covet.websocket.impl.auth.HandshakeAuthenticator;
import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Heartbeats;
import dev.covet.websocket.impl.connection.OutboundLimits;
import dev.covet.websocket.impl.metrics.JmxRegistration;
import dev.covet.websocket.impl.metrics.MicrometerRegistration;
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.impl.routing.Router;
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
     * Installs with init-parameters from the given lookup, registering the endpoint with the container (the path
     * for containers without a servlet layer, where refusals are close codes).
     *
     * @param container the WebSocket container
     * @param initParameters init-parameter lookup returning null when unset
     * @return the installation handle
     * @throws DeploymentException when the configuration is invalid or registration fails
     */
    static Covet.Installation install(ServerContainer container, Function<String, String> initParameters)
            throws DeploymentException {
        Installation installation = prepare(CovetConfig.load(ConfigSource.standard(initParameters)), container, "");
        container.addEndpoint(installation.endpointConfig(null));
        return EndpointInstaller::closeAll;
    }

    /**
     * Makes the deployment's configuration current in CDI and builds what every handshake needs.
     *
     * @param config the validated configuration
     * @param container the WebSocket container, to pick the extensions it needs named
     * @param contextPath the application's context path ({@code ""} for the root), for the startup log
     * @return the installation, not yet registered anywhere
     */
    static Installation prepare(CovetConfig config, ServerContainer container, String contextPath) {
        CDI.current().select(CurrentConfig.class).get().set(config);
        OriginPolicy origins = new OriginPolicy(config);
        HandshakeAuthenticator authenticator = new HandshakeAuthenticator(config, ordered(HandshakeCheck.class),
                ordered(AuthorizationCheck.class));
        List<Extension> extensions = Compression.extensionsFor(container, config.get(Settings.MAX_MESSAGE_BYTES));
        CovetConfigurator configurator = new CovetConfigurator(origins, authenticator);
        Installation installation = new Installation(config, configurator, origins, authenticator, extensions,
                OutboundLimits.of(config));
        configurator.bind(installation);
        CDI.current().select(JmxRegistration.class).get().register(contextPath);
        CDI.current().select(MicrometerRegistration.class).get().register(contextPath);
        CDI.current().select(LocalRooms.class).get().start();
        LOG.log(System.Logger.Level.INFO, "Covet WebSocket endpoint at {0} (container {1}, {2}); authentication: {3}",
                contextPath + config.get(Settings.PATH), container.getClass().getName(),
                extensions.isEmpty() ? "container-default extensions" : "permessage-deflate added",
                authenticator.description());
        return installation;
    }

    /** @return the application's beans of a chain type ({@link HandshakeCheck}, ...) in {@code @Priority} order */
    private static <T> List<T> ordered(Class<T> type) {
        return CDI.current().select(type).handlesStream()
                .sorted(Comparator.comparingInt(h -> Router.priority(h.getBean().getBeanClass())))
                .map(Instance.Handle::get)
                .toList();
    }

    /**
     * Closes every connection with 1001 after flushing and stops the library's threads; also the handle returned
     * by {@link #install}.
     */
    static void closeAll() {
        try {
            CDI<Object> cdi = CDI.current();
            cdi.select(ConnectionRegistry.class).get().closeAll();
            cdi.select(Heartbeats.class).get().stop();
            cdi.select(Router.class).get().shutdown();
            cdi.select(JmxRegistration.class).get().unregister();
            cdi.select(MicrometerRegistration.class).get().unregister();
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "CDI already stopped; connections close with the container");
        }
    }
}
