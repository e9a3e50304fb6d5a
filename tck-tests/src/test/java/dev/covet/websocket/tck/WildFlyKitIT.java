package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit on WildFly (Undertow, Weld, Yasson, Hibernate Validator inside) unpacked from the Maven-resolved dist
 * zip, with the chat sample's WAR unchanged. The runner turns on Undertow's permessage-deflate through the CLI,
 * as {@code docs/deployment.md} tells users to, and deploys and undeploys through the deployment scanner.
 */
class WildFlyKitIT extends CovetKit {

    /** The ports of the default standalone.xml, all shifted by one free offset. */
    private static final int[] DEFAULT_PORTS = {8080, 8443, 9990, 9993, 8009, 4712, 4713};
    private static final String[] COMPRESSION = {
        "/subsystem=undertow/servlet-container=default/setting=websockets"
                + ":write-attribute(name=per-message-deflate,value=true)",
        "/subsystem=undertow/servlet-container=default/setting=websockets"
                + ":write-attribute(name=deflater-level,value=6)",
        "reload"};

    private static Path home;
    private static Path base;
    private static Path log;
    private static Process wildfly;
    private static int offset;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("wildfly");
        home = Path.of(System.getProperty("wildfly.home"));
        base = ServerProcesses.workDir("wildfly-");
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        log = Path.of(System.getProperty("chat.war")).resolveSibling("wildfly.log");
        offset = freeOffset();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1", "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset));
        command.addAll(ServerProcesses.kitSettingArguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("LAUNCH_JBOSS_IN_BACKGROUND", "1",
                "JAVA_HOME", System.getProperty("java.home")));
        wildfly = builder.start();
        ServerProcesses.awaitOk(URI.create("http://127.0.0.1:" + (8080 + offset) + "/"), Duration.ofSeconds(120),
                () -> wildfly, log);
        cli(COMPRESSION);
        Files.copy(Path.of(System.getProperty("chat.war")), base.resolve("deployments/chat.war"));
        ServerProcesses.awaitOk(httpRoot(offset).resolve("health"), Duration.ofSeconds(120), () -> wildfly, log);
    }

    @AfterAll
    static void stop() throws Exception {
        if (wildfly != null) {
            ServerProcesses.stop(wildfly.toHandle());
        }
    }

    /** Runs jboss-cli against the server's management port and waits for it; fails on a non-zero exit. */
    private static void cli(String... commands) throws IOException, InterruptedException {
        ServerProcesses.run(new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + (9990 + offset), "--commands=" + String.join(",", commands)));
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

    private static URI httpRoot(int offset) {
        return URI.create("http://127.0.0.1:" + (8080 + offset) + "/chat/");
    }

    @Test
    @DisplayName("Two applications with Covet in one server: undeploying one leaves the other's connections serving")
    void undeployingOneOfTwoApplicationsLeavesTheOtherServing() throws Exception {
        Files.copy(Path.of(System.getProperty("chat.war")), base.resolve("deployments/second.war"));
        ServerProcesses.awaitOk(URI.create("http://127.0.0.1:" + (8080 + offset) + "/second/health"),
                Duration.ofSeconds(120), () -> wildfly, log);
        URI second = URI.create("ws://127.0.0.1:" + (8080 + offset) + "/second/ws");
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token("two-apps"));
        try (KitClient staying = KitClient.open(webSocketUri(), bearer);
             KitClient leaving = KitClient.open(second, bearer)) {
            joins(staying, "before");
            joins(leaving, "before");
            Files.delete(base.resolve("deployments/second.war"));
            await("second.war.undeployed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(base.resolve("deployments/second.war.undeployed")));
            assertThat(leaving.closeCode()).as("the undeployed application's connection").isEqualTo(1001);
            joins(staying, "after");
        }
        try (KitClient fresh = KitClient.open(webSocketUri(), bearer)) {
            joins(fresh, "fresh");
        }
    }

    private static void joins(KitClient client, String room) throws Exception {
        client.send("{\"event\":\"$room.join\",\"id\":\"" + room + "\",\"data\":{\"room\":\"two-apps-" + room
                + "\"}}");
        assertThat(client.next("$room.join").getString("replyTo")).isEqualTo(room);
    }

    /** Removing the WAR from the scanned directory undeploys it; the scanner then writes a marker. */
    @Override
    protected void undeploy() throws Exception {
        Files.delete(base.resolve("deployments/chat.war"));
        await("chat.war.undeployed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(base.resolve("deployments/chat.war.undeployed")));
    }

    @Override
    protected List<String> serverThreadNames() throws Exception {
        return ServerProcesses.threadNames(ServerProcesses.javaDescendant(wildfly));
    }

    @Override
    protected URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + (8080 + offset) + "/chat/ws");
    }

    @Override
    protected Optional<URI> httpRoot() {
        return Optional.of(httpRoot(offset));
    }
}
