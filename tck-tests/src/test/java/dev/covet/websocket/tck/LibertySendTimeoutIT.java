package dev.covet.websocket.tck;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code covet.outbound.send-timeout} over the wire on Open Liberty ({@link StalledMember}), which is given the
 * timeout and fails the write; Covet then closes the session unless Liberty ended the connection. Its own server
 * (its own user directory and port), since the kit's settings (a 1 s heartbeat) would close the member first.
 */
class LibertySendTimeoutIT {

    private static final String SERVER = "covet-send-timeout";
    private static final String SERVER_XML = """
            <server description="Covet send timeout">
              <featureManager>
                <feature>websocket-2.1</feature>
                <feature>cdi-4.0</feature>
                <feature>jsonb-3.0</feature>
                <feature>jsonp-2.1</feature>
                <feature>beanValidation-3.0</feature>
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
        userDir = ServerProcesses.workDir("liberty-send-timeout-");
        port = ServerProcesses.freePort();
        server("create");
        Path server = userDir.resolve("servers").resolve(SERVER);
        Files.writeString(server.resolve("server.xml"), SERVER_XML.formatted(port));
        Files.write(server.resolve("jvm.options"), StalledMember.SETTINGS.entrySet().stream()
                .map(setting -> "-D" + setting.getKey() + "=" + setting.getValue()).toList());
        Files.copy(Path.of(System.getProperty("chat.war")), server.resolve("dropins/chat.war"));
        started = true;
        server("start");
        ServerProcesses.awaitOk(root().resolve("health"), Duration.ofSeconds(120), () -> null,
                server.resolve("logs/messages.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (started) {
            server("stop");
        }
    }

    @Test
    void aMemberWhoseWriteWaitsLongerThanTheSendTimeoutIsClosedAsASlowConsumer() throws Exception {
        new StalledMember(URI.create("ws://127.0.0.1:" + port + "/chat/ws"), root().resolve("api/stats"),
                LibertySendTimeoutIT::token).isClosedAsASlowConsumer();
    }

    private static URI root() {
        return URI.create("http://127.0.0.1:" + port + "/chat/");
    }

    private static String token(String user) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(root().resolve("api/token?user=" + user))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.substring(body.indexOf(":\"") + 2, body.lastIndexOf('"'));
    }

    /** Runs {@code wlp/bin/server ACTION} for this runner's server, with its own user directory and JDK. */
    private static void server(String action) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/server").toString(), action, SERVER);
        builder.environment().put("WLP_USER_DIR", userDir.toString());
        ServerProcesses.run(builder);
    }
}
