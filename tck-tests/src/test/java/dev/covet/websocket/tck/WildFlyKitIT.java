package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * The kit on WildFly (Undertow, Weld, Yasson, Hibernate Validator inside) unpacked from the Maven-resolved dist
 * zip, with the chat sample's WAR unchanged. The runner turns on Undertow's permessage-deflate through the CLI,
 * as {@code docs/deployment.md} tells users to, and deploys and undeploys through the deployment scanner.
 */
class WildFlyKitIT extends CovetKit {

    private static final String[] COMPRESSION = {
        "/subsystem=undertow/servlet-container=default/setting=websockets"
                + ":write-attribute(name=per-message-deflate,value=true)",
        "/subsystem=undertow/servlet-container=default/setting=websockets"
                + ":write-attribute(name=deflater-level,value=6)",
        "reload"};

    private static WildFlyServer server;
    private static Path base;
    private static Process wildfly;
    private static int offset;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("wildfly");
        server = WildFlyServer.start("wildfly", Map.of());
        base = server.base;
        wildfly = server.process;
        offset = server.offset;
        server.cli(COMPRESSION);
        server.deploy("chat");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static URI httpRoot(int offset) {
        return URI.create("http://127.0.0.1:" + (8080 + offset) + "/chat/");
    }

    @Test
    @DisplayName("Two applications with Covet in one server: undeploying one leaves the other's connections serving")
    void undeployingOneOfTwoApplicationsLeavesTheOtherServing() throws Exception {
        Files.copy(Path.of(System.getProperty("chat.war")), base.resolve("deployments/second.war"));
        ServerProcesses.awaitOk(server.httpRoot("second").resolve("health"), Duration.ofSeconds(120), () -> wildfly,
                server.log);
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
    protected Map<String, String> serverThreads() throws Exception {
        return ServerProcesses.threads(ServerProcesses.javaDescendant(wildfly));
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
