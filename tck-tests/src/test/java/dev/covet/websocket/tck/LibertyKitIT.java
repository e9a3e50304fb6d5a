package dev.covet.websocket.tck;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final String SERVER = "covet-tck";
    private static final String SERVER_XML = """
            <server description="Covet tck">
              <featureManager>
                <feature>websocket-2.1</feature>
                <feature>cdi-4.0</feature>
                <feature>jsonb-3.0</feature>
                <feature>jsonp-2.1</feature>
                <feature>beanValidation-3.0</feature>
                <feature>mpHealth-4.0</feature>
                <feature>mpConfig-3.1</feature>
              </featureManager>
              <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
            </server>
            """;

    private static Path home;
    private static Path userDir;
    private static int port;
    private static boolean started;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("liberty");
        home = Path.of(System.getProperty("liberty.home"));
        userDir = ServerProcesses.workDir("liberty-");
        port = ServerProcesses.freePort();
        server("create");
        Path server = userDir.resolve("servers").resolve(SERVER);
        Files.writeString(server.resolve("server.xml"), SERVER_XML.formatted(port));
        Files.write(server.resolve("jvm.options"), ServerProcesses.kitSettingArguments());
        Files.copy(Path.of(System.getProperty("chat.war")), server.resolve("dropins/chat.war"));
        started = true;
        server("start");
        ServerProcesses.awaitOk(httpRoot(port).resolve("health"), Duration.ofSeconds(120), () -> null,
                server.resolve("logs/messages.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (started) {
            server("stop");
        }
    }

    /** Runs {@code wlp/bin/server ACTION covet-tck} with the runner's own user directory and JDK. */
    private static void server(String action) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/server").toString(), action, SERVER);
        builder.environment().put("WLP_USER_DIR", userDir.toString());
        ServerProcesses.run(builder);
    }

    private static URI httpRoot(int port) {
        return URI.create("http://127.0.0.1:" + port + "/chat/");
    }

    /** Removing the WAR from {@code dropins/} undeploys it; the health page then stops answering. */
    @Override
    protected void undeploy() throws Exception {
        Files.delete(userDir.resolve("servers").resolve(SERVER).resolve("dropins/chat.war"));
        await("chat undeployed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(userDir.resolve("servers").resolve(SERVER).resolve("logs/messages.log"))
                        .contains("CWWKZ0009I"));
    }

    @Test
    @DisplayName("MicroProfile Health: the server's /health/ready and /health/live include Covet's checks, UP, with figures")
    void theServersHealthEndpointsIncludeCovetsChecks() throws Exception {
        MicroProfileHealth.assertCovetChecksUp(URI.create("http://127.0.0.1:" + port + "/"));
    }

    @Override
    protected Map<String, String> serverThreads() throws Exception {
        long pid = Long.parseLong(Files.readString(userDir.resolve("servers/.pid/" + SERVER + ".pid")).trim());
        return ServerProcesses.threads(ProcessHandle.of(pid).orElseThrow());
    }

    @Override
    protected boolean compresses() {
        return false;
    }

    @Override
    protected URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/chat/ws");
    }

    @Override
    protected Optional<URI> httpRoot() {
        return Optional.of(httpRoot(port));
    }
}
