package dev.covet.websocket.tck;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the runners of out-of-process servers (Payara, WildFly, Liberty) share: the kit's settings as JVM
 * arguments, free ports, waiting for HTTP, listing the server JVM's threads, and stopping the whole process tree.
 */
final class ServerProcesses {

    /** The kit's settings, which the runner JVM has as system properties (see the pom), for the server's JVM. */
    private static final List<String> KIT_SETTINGS = List.of("covet.heartbeat.interval", "covet.heartbeat.timeout",
            "covet.connections.max-per-user", "covet.connections.max-per-ip", "covet.trusted-proxies",
            "covet.rate.bytes-per-second", "covet.outbound.max-messages");

    private ServerProcesses() {
    }

    /**
     * A fresh working directory under {@code target/work}, so servers' files and logs stay with the build (and are
     * kept for a failed run) instead of piling up in the system's temporary directory.
     *
     * @param prefix the directory name's prefix
     * @return the new directory
     */
    static Path workDir(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target", "work").toAbsolutePath()), prefix);
    }

    /** @return the kit's settings as {@code -Dkey=value} arguments */
    static List<String> kitSettingArguments() {
        return KIT_SETTINGS.stream().map(key -> "-D" + key + "=" + System.getProperty(key)).toList();
    }

    /** @return a port that was free on 127.0.0.1 a moment ago */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** @return whether every port can be bound on 127.0.0.1 now */
    static boolean free(int... ports) {
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code uri} answers 200, failing early when the server's process has exited.
     *
     * @param uri what to poll
     * @param limit how long at most
     * @param process the server's process (or its launcher's)
     * @param log where the server writes, named in failures
     */
    static void awaitOk(URI uri, Duration limit, Supplier<Process> process, Path log) {
        await(uri + " answering 200 (log: " + log + ")").atMost(limit).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    Process server = process.get();
                    if (server != null && !server.isAlive()) {
                        throw new IllegalStateException("The server exited with " + server.exitValue() + "; see " + log);
                    }
                    return status(uri) == 200;
                });
    }

    /**
     * One GET on a fresh connection that is closed afterwards: a server still starting may drop or stall a
     * connection, and a pooled client would then keep waiting on it (seen with Payara: every poll timed out).
     */
    private static int status(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(2_000);
        connection.setRequestProperty("Connection", "close");
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Lists the live threads of a running JVM with {@code jcmd Thread.print} from this build's JDK.
     *
     * @param jvm the server's JVM
     * @return each thread's name and its stack as printed (threads of the same name are listed under one)
     */
    static Map<String, String> threads(ProcessHandle jvm) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String out = run(new ProcessBuilder(jcmd.toString(), String.valueOf(jvm.pid()), "Thread.print"));
        Map<String, String> threads = new TreeMap<>();
        for (String block : out.split("\\R\\R")) {
            String trimmed = block.strip();
            if (trimmed.startsWith("\"")) {
                threads.merge(trimmed.substring(1, trimmed.indexOf('"', 1)), trimmed,
                        (one, other) -> one + "\n--\n" + other);
            }
        }
        return threads;
    }

    /**
     * Runs a command with this build's JDK as {@code JAVA_HOME} and waits up to two minutes for it.
     *
     * @param command the command
     * @return its output (standard output and error)
     * @throws IllegalStateException with the output, when it fails or takes longer
     */
    static String run(ProcessBuilder command) throws IOException, InterruptedException {
        command.redirectErrorStream(true).environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = command.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + out);
        }
        return out;
    }

    /** @return the one Java process among the launcher's descendants (a shell script's child JVM) */
    static ProcessHandle javaDescendant(Process launcher) {
        return launcher.descendants()
                .filter(handle -> handle.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no JVM under process " + launcher.pid()));
    }

    /** Stops a process and everything it started: politely first, forcibly after 30 seconds. */
    static void stop(ProcessHandle process) throws InterruptedException {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process)).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            }
        }
    }
}
