package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness observed over HTTP while an application stops, on WildFly with MicroProfile Health
 * ({@code standalone-microprofile.xml}) and the server's own procedures turned off
 * ({@code mp.health.disable-default-procedures=true}; with them on, WildFly's {@code /health/ready} waits for the
 * whole undeploy). A member that stops reading holds frames in its queue, so the shutdown's flush window lasts
 * {@code covet.shutdown.flush-timeout}; during it the server's {@code /health/ready} answers 503 with Covet's check
 * DOWN and {@code shuttingDown}. The chat sample's WAR is unchanged.
 */
class WildFlyReadinessIT {

    private static final String ROOM = "draining";
    private static final int MEMBERS = 4;

    private static WildFlyServer server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("wildfly");
        List<String> arguments = new ArrayList<>(List.of("-Dmp.health.disable-default-procedures=true",
                "-Dcovet.shutdown.flush-timeout=10s"));
        // Nothing may close the stalled member before the undeploy does.
        arguments.addAll(StalledMember.settingArguments(Map.of("covet.outbound.send-timeout", "1h")));
        server = WildFlyServer.startMicroProfile("wildfly-readiness", arguments);
        server.deploy("chat");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void readinessIsDownWhileTheUndeployFlushesWhatIsQueued() throws Exception {
        URI root = server.httpRoot("chat");
        URI webSocket = URI.create("ws://127.0.0.1:" + root.getPort() + "/chat/ws");
        MicroProfileHealth.assertCovetChecksUp(server.managementRoot());
        Path war = server.base.resolve("deployments/chat.war");
        Path undeployed = server.base.resolve("deployments/chat.war.undeployed");
        AtomicReference<JsonObject> down = new AtomicReference<>();
        List<KitClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                KitClient member = KitClient.open(webSocket, Map.of("Authorization",
                        "Bearer " + CovetKit.sampleToken(root, "drain" + i, 3600)));
                member.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"" + ROOM + "\"}}");
                member.next("$room.join");
                members.add(member);
            }
            int code = RawProbe.stalled(webSocket, CovetKit.sampleToken(root, "stalled", 3600),
                    "{\"event\":\"$room.join\",\"data\":{\"room\":\"" + ROOM + "\"}}", () -> {
                        members.get(0).next("chat.joined");
                        flood(members);
                        Files.delete(war);
                        down.set(awaitCovetDown(undeployed));
                    });
            assertThat(down.get()).as("a /health/ready answer with Covet's check DOWN before the undeploy ended")
                    .isNotNull();
            assertThat(down.get().getString("status")).isEqualTo("DOWN");
            assertThat(code).as("the stalled member's close code (1006: dropped without one)").isIn(1001, 1006);
        } finally {
            members.forEach(KitClient::close);
        }
    }

    /**
     * About 10 MB of chat for the stalled member, more than the sockets between it and the server hold, so its
     * queue still holds frames when the undeploy starts; returns once every member has seen every message.
     */
    private static void flood(List<KitClient> members) throws Exception {
        for (int round = 0; round < 25; round++) {
            for (int i = 0; i < 50; i++) {
                for (KitClient member : members) {
                    member.send(StalledMember.randomMessage(ROOM));
                }
            }
        }
        for (int i = 0; i < members.size(); i++) {
            members.get(i).send("{\"event\":\"chat.send\",\"data\":{\"room\":\"" + ROOM + "\",\"text\":\"end-" + i
                    + "\"}}");
        }
        Set<String> ends = new HashSet<>();
        while (ends.size() < members.size()) {
            String text = members.get(0).next("chat.message").getJsonObject("data").getString("text");
            if (text.startsWith("end-")) {
                ends.add(text);
            }
        }
    }

    /**
     * Polls the server's {@code /health/ready} until it answers with Covet's check DOWN while shutting down (then
     * also 503), or the deployment scanner reports the undeploy done (60 s at most).
     *
     * @return that answer, or null if none was seen before the undeploy ended
     */
    private static JsonObject awaitCovetDown(Path undeployed) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest ready = HttpRequest.newBuilder(server.managementRoot().resolve("health/ready"))
                .timeout(Duration.ofSeconds(30)).build();
        AtomicReference<JsonObject> down = new AtomicReference<>();
        await("Covet's readiness DOWN, or the undeploy over").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (Files.exists(undeployed)) {
                        return true;
                    }
                    HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                    JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
                    if (health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                            .filter(check -> check.getString("name").equals("covet-readiness"))
                            .noneMatch(check -> check.getString("status").equals("DOWN")
                                    && check.getJsonObject("data").getBoolean("shuttingDown"))) {
                        return false;
                    }
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                    down.set(health);
                    return true;
                });
        return down.get();
    }
}
