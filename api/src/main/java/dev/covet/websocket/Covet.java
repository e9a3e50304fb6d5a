package dev.covet.websocket;

import java.util.Map;
import java.util.ServiceLoader;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import dev.covet.websocket.spi.CovetProvider;

/**
 * Installs the Covet endpoint into a WebSocket container that has no servlet context, such as standalone Tyrus.
 *
 * <p>In a servlet container (Payara, WildFly, Open Liberty, Tomcat, Jetty) the library installs itself when the
 * web application starts; do not call this there. CDI must be running before {@link #install} is called, since
 * endpoint instances come from {@code CDI.current()}.
 *
 * <pre>{@code
 * try (Covet.Installation covet = Covet.install(tyrusContainer, Map.of("covet.auth.anonymous", "true"))) {
 *     tyrusContainer.start("/", 8080);
 *     ...
 * }
 * }</pre>
 */
public final class Covet {

    private Covet() {
    }

    /**
     * Validates the configuration and registers the endpoint at {@code covet.path}.
     *
     * @param container the container to register in, not yet started
     * @param settings configuration values that take the place of servlet init-params (lower precedence than
     *     MicroProfile Config, system properties and environment variables); never null
     * @return a handle whose {@code close()} closes every connection with 1001 and releases the library's threads
     * @throws DeploymentException if the configuration is invalid (listing every problem) or registration fails
     */
    public static Installation install(ServerContainer container, Map<String, String> settings)
            throws DeploymentException {
        CovetProvider provider = ServiceLoader.load(CovetProvider.class, Covet.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new DeploymentException(
                        "No CovetProvider found on the class path; add the covet-websocket jar"));
        return provider.install(container, Map.copyOf(settings));
    }

    /**
     * A running installation; closing it undeploys the endpoint's state.
     */
    public interface Installation extends AutoCloseable {

        /**
         * Closes every open connection with {@link CloseCodes#GOING_AWAY} and stops the library's threads.
         */
        @Override
        void close();
    }
}
