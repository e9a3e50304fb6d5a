package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit on Payara Micro (a full Jakarta EE server: Tyrus, Weld, Yasson, Hibernate Validator inside), deploying
 * the chat sample's WAR unchanged in a separate JVM started from a Maven-resolved payara-micro jar.
 *
 * <p>The undeploy case is skipped: Payara Micro undeploys at run time only through asadmin over its cluster,
 * which the runner turns off ({@code --nocluster}) to start fast and stay on 127.0.0.1.
 */
abstract class PayaraKit extends CovetKit {

    /** Tyrus closes a read larger than its incoming buffer (4 MiB + 11 bytes) with 1011 before parsing it. */
    @Override
    protected java.util.OptionalInt singleFrameLimit() {
        return java.util.OptionalInt.of(4 * 1024 * 1024 - 64 * 1024);
    }

    private static Process payara;
    private static int port;

    /** Starts Payara with the given JVM and jar, deploying the WAR named by the {@code chat.war} property. */
    static void start(Path java, String jar, String name) throws Exception {
        PayaraServer server = PayaraServer.start(java, jar, name, Map.of());
        payara = server.process();
        port = server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (payara != null) {
            ServerProcesses.stop(payara.toHandle());
        }
    }

    @Test
    @DisplayName("MicroProfile Health: the server's /health/ready and /health/live include Covet's checks, UP, with figures")
    void theServersHealthEndpointsIncludeCovetsChecks() throws Exception {
        MicroProfileHealth.assertCovetChecksUp(URI.create("http://127.0.0.1:" + port + "/"));
    }

    @Override
    protected Map<String, String> serverThreads() throws Exception {
        return ServerProcesses.threads(payara.toHandle());
    }

    @Override
    protected URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/chat/ws");
    }

    @Override
    protected Optional<URI> httpRoot() {
        return Optional.of(URI.create("http://127.0.0.1:" + port + "/chat/"));
    }
}
