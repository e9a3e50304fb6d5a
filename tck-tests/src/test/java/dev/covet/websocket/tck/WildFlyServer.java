package dev.covet.websocket.tck;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A WildFly standalone server from the Maven-resolved dist zip, in its own base directory with every port shifted
 * by one free offset, deploying through the deployment scanner. Used by the kit's runner and the mixed cluster.
 */
final class WildFlyServer {

    /** The ports of the default standalone.xml, all shifted by one free offset. */
    private static final int[] DEFAULT_PORTS = {8080, 8443, 9990, 9993, 8009, 4712, 4713};

    final Path home;
    final Path base;
    final Path log;
    final Process process;
    final int offset;

    private WildFlyServer(Path home, Path base, Path log, Process process, int offset) {
        this.home = home;
        this.base = base;
        this.log = log;
        this.process = process;
        this.offset = offset;
    }

    /**
     * Starts WildFly ({@code wildfly.home}) and waits for its welcome page.
     *
     * @param name the log file's name, next to {@code chat.war}
     * @param environment extra environment for the server's JVM
     */
    static WildFlyServer start(String name, Map<String, String> environment) throws Exception {
        return start(name, environment, ServerProcesses.kitSettingArguments());
    }

    /**
     * Starts WildFly ({@code wildfly.home}) with other settings than the kit's, and waits for its welcome page.
     *
     * @param name the log file's name, next to {@code chat.war}
     * @param environment extra environment for the server's JVM
     * @param settings the Covet settings, as {@code -Dcovet.x=y} arguments
     */
    static WildFlyServer start(String name, Map<String, String> environment, List<String> settings)
            throws Exception {
        return launch(name, environment, settings, offset -> URI.create("http://127.0.0.1:" + (8080 + offset) + "/"));
    }

    /**
     * Starts WildFly ({@code wildfly.home}) with its MicroProfile configuration ({@code standalone-microprofile.xml},
     * which has MicroProfile Health and no welcome page), and waits for its {@code /health/live}.
     *
     * @param name the log file's name, next to {@code chat.war}
     * @param arguments system properties, as {@code -Dkey=value} arguments
     */
    static WildFlyServer startMicroProfile(String name, List<String> arguments) throws Exception {
        List<String> all = new ArrayList<>(List.of("-c", "standalone-microprofile.xml"));
        all.addAll(arguments);
        return launch(name, Map.of(), all,
                offset -> URI.create("http://127.0.0.1:" + (9990 + offset) + "/health/live"));
    }

    private static WildFlyServer launch(String name, Map<String, String> environment, List<String> arguments,
                                        IntFunction<URI> ready) throws Exception {
        Path home = Path.of(System.getProperty("wildfly.home"));
        Path base = ServerProcesses.workDir("wildfly-");
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Path log = Path.of(System.getProperty("chat.war")).resolveSibling(name + ".log");
        int offset = freeOffset();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1", "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("LAUNCH_JBOSS_IN_BACKGROUND", "1",
                "JAVA_HOME", System.getProperty("java.home")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            ServerProcesses.awaitOk(ready.apply(offset), Duration.ofSeconds(120), () -> process, log);
        } catch (RuntimeException | Error e) {
            ServerProcesses.stop(process.toHandle());
            throw e;
        }
        return new WildFlyServer(home, base, log, process, offset);
    }

    /** Deploys {@code chat.war} under a name and waits for its health check. */
    void deploy(String name) throws Exception {
        Files.copy(Path.of(System.getProperty("chat.war")), base.resolve("deployments/" + name + ".war"));
        ServerProcesses.awaitOk(httpRoot(name).resolve("health"), Duration.ofSeconds(120), () -> process, log);
    }

    /** Runs jboss-cli against the server's management port and waits for it; fails on a non-zero exit. */
    void cli(String... commands) throws IOException, InterruptedException {
        ServerProcesses.run(new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + (9990 + offset), "--commands=" + String.join(",", commands)));
    }

    /** @return the root of a deployed application, e.g. {@code http://127.0.0.1:9080/chat/} */
    URI httpRoot(String context) {
        return URI.create("http://127.0.0.1:" + (8080 + offset) + "/" + context + "/");
    }

    /** @return the management interface's root, where WildFly serves {@code /health/ready} */
    URI managementRoot() {
        return URI.create("http://127.0.0.1:" + (9990 + offset) + "/");
    }

    void stop() throws InterruptedException {
        ServerProcesses.stop(process.toHandle());
    }

    private static int freeOffset() {
        return IntStream.generate(() -> ThreadLocalRandom.current().nextInt(1_000, 40_000)).limit(50)
                .filter(candidate -> ServerProcesses.free(IntStream.of(DEFAULT_PORTS).map(p -> p + candidate).toArray()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no free port offset for WildFly"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
