package dev.covet.websocket.tck;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;

/**
 * The kit on Payara Micro (a full Jakarta EE server: Tyrus, Weld, Yasson, Hibernate Validator inside), deploying
 * the chat sample's WAR unchanged in a separate JVM started from a Maven-resolved payara-micro jar.
 */
abstract class PayaraKit extends CovetKit {

    /** The kit's settings, which the runner JVM has as system properties, passed on to the server's JVM. */
    private static final List<String> KIT_SETTINGS = List.of("covet.heartbeat.interval", "covet.heartbeat.timeout",
            "covet.connections.max-per-user", "covet.connections.max-per-ip", "covet.trusted-proxies",
            "covet.rate.bytes-per-second", "covet.outbound.max-messages");

    private static Process payara;
    private static int port;

    /** Starts Payara with the given JVM and jar, deploying the WAR named by the {@code payara.war} property. */
    static void start(Path java, String jar, String name) throws Exception {
        Path work = Files.createTempDirectory("covet-payara");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx768m"));
        for (String key : KIT_SETTINGS) {
            command.add("-D" + key + "=" + System.getProperty(key));
        }
        command.addAll(List.of("-jar", jar, "--nocluster", "--port", String.valueOf(port),
                "--rootdir", work.resolve("root").toString(), "--deploy", System.getProperty("payara.war")));
        File log = new File(System.getProperty("payara.war")).toPath().resolveSibling(name + ".log").toFile();
        payara = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        awaitHealth(Duration.ofSeconds(150), log);
    }

    @AfterAll
    static void stop() throws Exception {
        if (payara != null) {
            payara.destroy();
            if (!payara.waitFor(30, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitHealth(Duration limit, File log) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat/health"))
                .timeout(Duration.ofSeconds(2)).build();
        await("Payara serving /chat/health (log: " + log + ")").atMost(limit).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!payara.isAlive()) {
                        throw new IllegalStateException("Payara exited with " + payara.exitValue() + "; see " + log);
                    }
                    return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
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
