package dev.covet.websocket.impl.endpoint;

import java.util.EnumSet;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * Installs the library in every servlet container, with no code in the application: discovered through
 * {@code META-INF/services}, it validates the configuration (failing the deployment with every problem), maps
 * {@link UpgradeFilter} at {@code covet.path}, and activates it once CDI and the WebSocket container are up; it
 * also serves the browser client at {@code covet.client.path} ({@link ClientScriptServlet}).
 * When the application stops, connections are flushed and closed with 1001.
 *
 * <p>It is a {@code ServletContainerInitializer}, not a {@code ServerApplicationConfig}, because a library's
 * {@code ServerApplicationConfig} would change which of the application's own endpoints get deployed.
 */
public final class CovetServletInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        CovetConfig config;
        try {
            config = CovetConfig.load(ConfigSource.standard(context::getInitParameter));
        } catch (DeploymentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        UpgradeFilter filter = new UpgradeFilter();
        context.addFilter("covet-websocket", filter)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, config.get(Settings.PATH));
        context.addListener(new Lifecycle(config, filter));
        String client = config.get(Settings.CLIENT_PATH);
        if (!client.isEmpty()) {
            context.addServlet("covet-client", new ClientScriptServlet()).addMapping(client + "/*");
        }
    }

    /** Activates the filter at startup and closes connections at shutdown. */
    static final class Lifecycle implements ServletContextListener {
        private final CovetConfig config;
        private final UpgradeFilter filter;

        Lifecycle(CovetConfig config, UpgradeFilter filter) {
            this.config = config;
            this.filter = filter;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
            if (!(container instanceof ServerContainer serverContainer)) {
                throw new IllegalStateException("Covet needs Jakarta WebSocket, but the servlet context has no "
                        + ServerContainer.class.getName() + " attribute; enable the container's WebSocket support");
            }
            Installation installation = EndpointInstaller.prepare(config, serverContainer,
                    event.getServletContext().getContextPath());
            if (Compression.isTyrus(serverContainer)) {
                // Tyrus's upgradeHttpToWebSocket only upgrades to endpoints it has registered (Payara, GlassFish).
                try {
                    serverContainer.addEndpoint(installation.endpointConfig(null));
                } catch (DeploymentException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            filter.activate(installation, serverContainer);
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            EndpointInstaller.closeAll();
        }
    }
}
