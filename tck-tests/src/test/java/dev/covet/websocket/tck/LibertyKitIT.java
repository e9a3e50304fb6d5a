package dev.covet.websocket.tck;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit on Open Liberty, unpacked from the Maven-resolved full runtime zip, with the chat sample's WAR unchanged
 * in {@code dropins/}: deployed and undeployed by Liberty's directory monitor, with MicroProfile Health and Config
 * as a Liberty user would add them. Liberty has no permessage-deflate, so the connection must work uncompressed.
 */
class LibertyKitIT extends CovetKit {

    private static LibertyServer server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("liberty");
        server = LibertyServer.start("covet-tck", ServerProcesses.kitSettingArguments());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Removing the WAR from {@code dropins/} undeploys it; the health page then stops answering. */
    @Override
    protected void undeploy() throws Exception {
        Files.delete(server.directory().resolve("dropins/chat.war"));
        await("chat undeployed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(server.log()).contains("CWWKZ0009I"));
    }

    @Test
    @DisplayName("MicroProfile Health: the server's /health/ready and /health/live include Covet's checks, UP, with figures")
    void theServersHealthEndpointsIncludeCovetsChecks() throws Exception {
        MicroProfileHealth.assertCovetChecksUp(server.httpRoot().resolve("/"));
    }

    @Override
    protected Map<String, String> serverThreads() throws Exception {
        return ServerProcesses.threads(ProcessHandle.of(server.pid()).orElseThrow());
    }

    @Override
    protected boolean compresses() {
        return false;
    }

    @Override
    protected URI webSocketUri() {
        return server.webSocket();
    }

    @Override
    protected Optional<URI> httpRoot() {
        return Optional.of(server.httpRoot());
    }
}
