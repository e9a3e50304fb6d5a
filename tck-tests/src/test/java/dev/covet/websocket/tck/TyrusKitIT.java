package dev.covet.websocket.tck;

import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.covet.sample.chat.DevTokens;
import dev.covet.websocket.Covet;

/**
 * The kit on standalone Tyrus (Grizzly) with Weld SE: no servlet layer, so refusals are close codes.
 */
class TyrusKitIT extends CovetKit {

    /** Tyrus closes a read larger than its incoming buffer (4 MiB + 11 bytes) with 1011 before parsing it. */
    @Override
    protected java.util.OptionalInt singleFrameLimit() {
        return java.util.OptionalInt.of(4 * 1024 * 1024 - 64 * 1024);
    }

    private static WeldContainer weld;
    private static ServerContainer tyrus;
    private static Covet.Installation covet;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("tyrus");
        weld = new Weld().containerId("tck-tyrus").initialize();
        tyrus = ServerContainerFactory.createServerContainer(Map.of());
        covet = Covet.install(tyrus, DevTokens.developmentSettings());
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        tyrus.start("/", port);
    }

    @AfterAll
    static void stop() {
        if (covet != null) {
            covet.close();
        }
        if (tyrus != null) {
            tyrus.stop();
        }
        if (weld != null) {
            weld.shutdown();
        }
    }

    @Override
    protected void undeploy() {
        covet.close();
    }

    @Override
    protected URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    @Override
    protected String token(String user, long seconds) {
        return DevTokens.mint(user, DevTokens.developmentSettings(), seconds);
    }
}
