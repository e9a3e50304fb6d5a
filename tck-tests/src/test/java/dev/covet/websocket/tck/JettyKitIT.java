package dev.covet.websocket.tck;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.covet.sample.chat.ChatServer;

/**
 * The kit on embedded Jetty 12 (ee10) with Weld Servlet: the chat sample exactly as {@code ChatServer} runs it.
 */
class JettyKitIT extends CovetKit {

    private static ChatServer chat;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("jetty");
        chat = ChatServer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chat != null) {
            chat.close();
        }
    }

    /** Embedded, the application and the server are one: stopping Jetty is undeploying. */
    @Override
    protected void undeploy() {
        chat.close();
    }

    @Override
    protected URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + chat.port() + "/ws");
    }

    @Override
    protected Optional<URI> httpRoot() {
        return Optional.of(URI.create("http://127.0.0.1:" + chat.port() + "/"));
    }
}
