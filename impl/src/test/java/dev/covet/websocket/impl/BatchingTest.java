package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batching where it is real: Covet on Jetty 12, whose sessions can flush without blocking. A burst in
 * {@code Rooms.batch} turns the members' batching on; everything written afterwards must still go out at once,
 * above all the heartbeat pings of a connection that has nothing else to receive.
 */
class JettyBatchingTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startOnJetty(Map.of("covet.heartbeat.interval", "200ms",
                "covet.heartbeat.timeout", "400ms"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBurstArrivesCompleteInOrderAndIdleMembersKeepAnsweringPings() throws Exception {
        try (WireClient sender = WireClient.withToken(server.uri(), "burst-a");
             WireClient other = WireClient.withToken(server.uri(), "burst-b")) {
            for (WireClient member : List.of(sender, other)) {
                member.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"jb\"}}");
                assertThat(member.nextIgnoringNotices()).contains("\"replyTo\":\"j\"");
            }
            sender.send("{\"event\":\"room.burst\",\"id\":\"go\",\"data\":{\"text\":\"300\",\"tag\":\"jb\"}}");
            for (WireClient member : List.of(sender, other)) {
                long previous = 0;
                for (int i = 0; i < 300; i++) {
                    JsonObject message = json(member.nextIgnoringNotices());
                    assertThat(message.getString("event")).isEqualTo("room.said");
                    assertThat(message.getJsonObject("data").getString("text")).isEqualTo(String.valueOf(i));
                    long offset = message.getJsonNumber("offset").longValue();
                    assertThat(offset).isGreaterThan(previous);
                    previous = offset;
                }
            }
            assertThat(sender.nextIgnoringNotices()).contains("\"replyTo\":\"go\"");

            int senderPings = sender.pings();
            int otherPings = other.pings();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sender.pings() >= senderPings + 3 && other.pings() >= otherPings + 3
                            || sender.isClosed() || other.isClosed());
            assertThat(sender.isClosed()).as("the sender closed while idle").isFalse();
            assertThat(other.isClosed()).as("the other member closed while idle").isFalse();

            other.send("{\"event\":\"echo\",\"id\":\"e\",\"data\":{\"text\":\"alone\"}}");
            assertThat(other.nextIgnoringNotices()).contains("\"replyTo\":\"e\"").contains("alone");
        }
    }

    private static JsonObject json(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }
}
