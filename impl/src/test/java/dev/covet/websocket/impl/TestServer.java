package dev.covet.websocket.impl;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import jakarta.websocket.DeploymentException;

import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import dev.covet.websocket.Covet;

/**
 * The library on in-process Tyrus (Grizzly) and Weld SE, on a free port of 127.0.0.1; stopped by {@link #close}.
 */
final class TestServer implements AutoCloseable {

    static final String SECRET = "test-secret-test-secret-test-secret-0123";
    static final String ISSUER = "covet-tests";
    static final String AUDIENCE = "covet-tests-aud";

    private final WeldContainer weld;
    private final ServerContainer tyrus;
    private final Covet.Installation installation;
    private final int port;

    private TestServer(Map<String, String> settings, Class<?>... beans) throws IOException, DeploymentException {
        weld = new Weld().containerId("covet-test-" + System.nanoTime()).addBeanClasses(beans).initialize();
        tyrus = ServerContainerFactory.createServerContainer(Map.of());
        installation = Covet.install(tyrus, settings);
        port = freePort();
        tyrus.start("/", port);
    }

    /** Starts with JWT authentication configured, plus the given settings. */
    static TestServer start(Map<String, String> extra, Class<?>... beans) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "covet.auth.jwt.secret", SECRET,
                "covet.auth.jwt.issuer", ISSUER,
                "covet.auth.jwt.audience", AUDIENCE));
        settings.putAll(extra);
        return new TestServer(settings, beans);
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
        tyrus.stop();
        weld.shutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
