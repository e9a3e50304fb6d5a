package dev.covet.websocket.impl.endpoint;

import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import dev.covet.websocket.Covet;

/**
 * Installs the library in every servlet container, with no code in the application: discovered through
 * {@code META-INF/services}, it adds a listener that registers the endpoint once CDI and the WebSocket container
 * are up, and closes every connection with 1001 when the application stops.
 *
 * <p>It is a {@code ServletContainerInitializer}, not a {@code ServerApplicationConfig}, because a library's
 * {@code ServerApplicationConfig} would change which of the application's own endpoints get deployed.
 */
public final class CovetServletInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new Lifecycle());
    }

    /** Registers at startup and closes connections at shutdown. */
    static final class Lifecycle implements ServletContextListener {
        private Covet.Installation installation;

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletContext context = event.getServletContext();
            Object container = context.getAttribute(ServerContainer.class.getName());
            if (!(container instanceof ServerContainer serverContainer)) {
                throw new IllegalStateException("Covet needs Jakarta WebSocket, but the servlet context has no "
                        + ServerContainer.class.getName() + " attribute; enable the container's WebSocket support");
            }
            try {
                installation = EndpointInstaller.install(serverContainer, context::getInitParameter);
            } catch (DeploymentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            if (installation != null) {
                installation.close();
            }
        }
    }
}
