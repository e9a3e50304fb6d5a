package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batching where it is real, on both ways Covet does it: Jetty 12 batches in its own buffer and flushes without
 * blocking; on Tyrus, which has no batching, Covet collects the frames and writes them raw in one buffer. A burst
 * in {@code Rooms.batch} turns a connection's batching on; every frame must arrive whole and in order, whatever its
 * length encoding or type, a close must come after what was queued before it, and everything written afterwards
 * must still go out at once, above all the heartbeat pings of a connection that has nothing else to receive.
 */
class BatchingTest {

    private static final Map<String, String> SETTINGS = Map.of("covet.heartbeat.interval", "200ms",
            "covet.heartbeat.timeout", "400ms");

    /** One server at a time: two Weld SE containers in one JVM share {@code CDI.current()}. */
    private static TestServer running;
    private static String runningOn;

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static TestServer server(String container) throws Exception {
        if (!container.equals(runningOn)) {
            stop();
            running = null;
            running = "jetty".equals(container) ? TestServer.startOnJetty(SETTINGS, TestHandlers.ALL)
                    : TestServer.start(SETTINGS, TestHandlers.ALL);
            runningOn = container;
        }
        return running;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tyrus", "jetty"})
    void aBurstArrivesCompleteInOrderAndIdleMembersKeepAnsweringPings(String container) throws Exception {
        TestServer server = server(container);
        String room = "b" + container.charAt(0);
        try (WireClient sender = WireClient.withToken(server.uri(), "burst-a");
             WireClient other = WireClient.withToken(server.uri(), "burst-b")) {
            for (WireClient member : List.of(sender, other)) {
                member.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"" + room + "\"}}");
                assertThat(member.nextIgnoringNotices()).contains("\"replyTo\":\"j\"");
            }
            sender.send("{\"event\":\"room.burst\",\"id\":\"go\",\"data\":{\"text\":\"300\",\"tag\":\"" + room
                    + "\"}}");
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

    @ParameterizedTest
    @ValueSource(strings = {"tyrus", "jetty"})
    void framesOfEveryLengthAndTypeArriveWholeAndInOrder(String container) throws Exception {
        try (WireClient client = WireClient.withToken(server(container).uri(), "mixed")) {
            client.send("{\"event\":\"mixed.burst\",\"id\":\"m\",\"data\":{\"text\":\"12\"}}");
            assertMixedBurst(client, 12);
            assertThat(client.next()).isEqualTo("{\"event\":\"ack\",\"replyTo\":\"m\"}");
            client.assertNothingQueued();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tyrus", "jetty"})
    void aCloseAfterABurstComesAfterEveryFrameOfIt(String container) throws Exception {
        try (WireClient client = WireClient.withToken(server(container).uri(), "mixed-close")) {
            client.send("{\"event\":\"mixed.burst\",\"id\":\"m\",\"data\":{\"text\":\"5\",\"tag\":\"close\"}}");
            assertMixedBurst(client, 5);
            assertThat(client.closeCode()).isEqualTo(4000);
            assertThat(client.poll(Duration.ZERO)).as("a frame after the close").isNull();
        }
    }

    /** The frames of {@code mixed.burst}: per round a text frame of each padding, then a binary frame. */
    private static void assertMixedBurst(WireClient client, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            for (int length : TestHandlers.MIXED_LENGTHS) {
                JsonObject message = json(client.next());
                assertThat(message.getString("event")).isEqualTo("mixed.text");
                assertThat(message.getJsonObject("data").getString("text")).isEqualTo(i + ":" + "x".repeat(length));
            }
            byte[] binary = client.nextBinary();
            assertThat(Arrays.copyOfRange(binary, binary.length - 4, binary.length))
                    .containsExactly((byte) i, 1, 2, 3);
        }
    }

    private static JsonObject json(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }
}
