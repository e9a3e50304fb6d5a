package dev.covet.websocket.impl;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;


import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import dev.covet.websocket.Covet;

/**
 * The library on in-process Tyrus (Grizzly), or Jetty 12 where a test needs what only Jetty does (batching), and
 * Weld SE, on a free port of 127.0.0.1; stopped by {@link #close}.
 */
final class TestServer implements AutoCloseable {

    static final String SECRET = "test-secret-test-secret-test-secret-0123";
    static final String ISSUER = "covet-tests";
    static final String AUDIENCE = "covet-tests-aud";

    private final WeldContainer weld;
    private final Covet.Installation installation;
    private final AutoCloseable container;
    private final int port;

    private TestServer(Map<String, String> settings, boolean jetty, Class<?>... beans) throws Exception {
        weld = new Weld().containerId("covet-test-" + System.nanoTime()).addBeanClasses(beans).initialize();
        port = freePort();
        if (jetty) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            Covet.Installation[] installed = new Covet.Installation[1];
            JakartaWebSocketServletContainerInitializer.configure(context,
                    (servletContext, webSockets) -> installed[0] = Covet.install(webSockets, settings));
            server.setHandler(context);
            server.start();
            installation = installed[0];
            container = server::stop;
        } else {
            ServerContainer tyrus = ServerContainerFactory.createServerContainer(Map.of());
            installation = Covet.install(tyrus, settings);
            tyrus.start("/", port);
            container = tyrus::stop;
        }
    }

    /** Starts with JWT authentication configured, plus the given settings. */
    static TestServer start(Map<String, String> extra, Class<?>... beans) throws Exception {
        return new TestServer(settings(extra), false, beans);
    }

    /** As {@link #start}, on Jetty 12 (ee10) instead of Tyrus. */
    static TestServer startOnJetty(Map<String, String> extra, Class<?>... beans) throws Exception {
        return new TestServer(settings(extra), true, beans);
    }

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "covet.auth.jwt.secret", SECRET,
                "covet.auth.jwt.issuer", ISSUER,
                "covet.auth.jwt.audience", AUDIENCE));
        settings.putAll(extra);
        return settings;
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    int port() {
        return port;
    }

    <T> T bean(Class<T> type) {
        return weld.select(type).get();
    }

    <T> T select(Class<T> type, java.lang.annotation.Annotation qualifier) {
        return weld.select(type, qualifier).get();
    }

    @Override
    public void close() {
        installation.close();
        try {
            container.close();
        } catch (Exception e) {
            throw new IllegalStateException("Stopping the container failed", e);
        } finally {
            weld.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
