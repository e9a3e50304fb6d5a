package dev.covet.websocket.impl;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process on a free loopback port, persisted with an append-only file so that a test can
 * kill it with SIGKILL and start it again with its data (as a crashed and restarted Redis). {@code .ci/run} installs
 * Debian's {@code redis-server}; where none is on the PATH the tests that need it are skipped, saying why.
 */
public final class RedisProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> extra;
    private Process process;

    private RedisProcess(Path dir, int port, List<String> extra) {
        this.dir = dir;
        this.port = port;
        this.extra = extra;
    }

    /**
     * Starts a Redis, or aborts the calling test when the machine has none.
     *
     * @param extra more {@code redis-server} arguments, e.g. an ACL user
     */
    public static RedisProcess start(String... extra) throws Exception {
        Assumptions.assumeTrue(binary() != null, "no redis-server on the PATH (.ci/run installs Debian's)");
        RedisProcess redis = new RedisProcess(Files.createTempDirectory("covet-redis"), freePort(), List.of(extra));
        redis.launch();
        return redis;
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server").toString();
            }
        }
        return null;
    }

    private void launch() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString(),
                "--protected-mode", "no"));
        command.addAll(extra);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            org.awaitility.Awaitility.await("redis-server listening on " + port).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
                        try (Socket socket = new Socket("127.0.0.1", port)) {
                            return socket.isConnected();
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("redis-server did not listen on " + port + ": "
                    + Files.readString(dir.resolve("redis.log")), e);
        }
    }

    /** @return the URI for {@code covet.cluster.redis.uri} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** @return whether the server runs (it was not killed, or was restarted) */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Kills the server with SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port, with the data it had persisted. */
    public void restart() throws Exception {
        launch();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
