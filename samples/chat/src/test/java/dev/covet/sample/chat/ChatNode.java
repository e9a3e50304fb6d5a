package dev.covet.sample.chat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of the chat as its own JVM process (the README's embedded server), so that a test runs several real
 * nodes sharing one Redis, and can kill one with SIGKILL. Each node's output is kept in
 * {@code target/cluster-nodes/}.
 */
final class ChatNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ChatNode(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts a node and waits until its health check answers UP.
     *
     * @param name the node id, also in its log file's name
     * @param settings extra environment (e.g. {@code COVET_CLUSTER_REDIS_URI})
     */
    static ChatNode start(String name, Map<String, String> settings) throws Exception {
        int port = freePort();
        Path logs = Files.createDirectories(Path.of("target", "cluster-nodes"));
        Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ChatServer.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("COVET_CLUSTER_NODE_ID", name);
        builder.environment().putAll(settings);
        ChatNode node = new ChatNode(name, port, log, builder.start());
        node.awaitHealthy();
        return node;
    }

    private void awaitHealthy() throws Exception {
        try {
            org.awaitility.Awaitility.await("node " + name + " healthy").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("node " + name + " exited: " + Files.readString(log));
                        }
                        return get("/health").statusCode() == 200;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("node " + name + " not healthy after 90 s: " + Files.readString(log), e);
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a WebSocket handshake over a plain socket; returns the response's status code. */
    int upgrade(String token) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nAuthorization: Bearer " + token + "\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** @return a development token for the user, minted by this node */
    String token(String user) throws Exception {
        String body = get("/api/token?user=" + user).body();
        return body.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    /** Opens an authenticated WebSocket to this node. */
    Wire connect(String user) throws Exception {
        return Wire.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), token(user));
    }

    /** @return the node's page, e.g. {@code http://127.0.0.1:8080/} */
    String page() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Kills the node with SIGKILL: no goodbye to Redis or to its clients. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** The node's output, for failure messages. */
    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
