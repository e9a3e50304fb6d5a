package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.Rooms;

/**
 * A peer that stops reading while the container is still writing to it: the write may take at most
 * {@code covet.outbound.send-timeout} (the container fails it, or the heartbeat sweep notices it on Jetty and Tyrus,
 * which do not), and a forced close waits for the write in flight instead of closing the session under the
 * container's pending write, so what the peer reads is whole frames, then the close frame.
 */
class SendTimeoutTest {

    /** One broadcast: larger than a socket's buffers, so that a peer that does not read leaves it in flight. */
    private static final String MEGABYTE = "m".repeat(1 << 20);

    private static TestServer start(String container, Map<String, String> settings) throws Exception {
        return "jetty".equals(container) ? TestServer.startOnJetty(settings, TestHandlers.ALL)
                : TestServer.start(settings, TestHandlers.ALL);
    }

    /** Joins the room with a peer that then reads nothing, and sends it {@code count} broadcasts of 1 MiB. */
    private static RawClient stalledMember(TestServer server, String room, int count) throws Exception {
        RawClient stalled = RawClient.open(server.uri(), Tokens.valid("stalled"), 4096);
        stalled.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"" + room + "\"}}");
        Rooms rooms = server.bean(Rooms.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> rooms.members(room).size() == 1);
        for (int i = 0; i < count; i++) {
            rooms.broadcast(room, "n", i + ":" + MEGABYTE);
        }
        return stalled;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tyrus", "jetty"})
    void aWriteThatDoesNotCompleteWithinTheSendTimeoutClosesWith4008(String container) throws Exception {
        // The heartbeat pings rarely and waits long: only the send timeout can act within the test's time.
        try (TestServer server = start(container, Map.of("covet.outbound.send-timeout", "2s",
                "covet.heartbeat.interval", "1h", "covet.heartbeat.timeout", "1h",
                "covet.outbound.max-bytes", "268435456"));
             RawClient stalled = stalledMember(server, "timeout", 32)) {
            CovetStats stats = server.bean(CovetStats.class);
            await("the slow-consumer close").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stats.snapshot().slowConsumerCloses() == 1);
            await("its Disconnected event").atMost(Duration.ofSeconds(10))
                    .until(() -> server.bean(TestHandlers.Lifecycle.class).events().contains("disconnected:4008"));
            assertThat(server.bean(Rooms.class).members("timeout")).isEmpty();
            assertThat(stats.snapshot().heartbeatTimeouts()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tyrus", "jetty"})
    void aForcedCloseWaitsForTheWriteInFlightSoThePeerGetsWholeFramesThenTheCloseFrame(String container)
            throws Exception {
        // The heartbeat closes the silent peer (4011) while its broadcasts are still being written.
        try (TestServer server = start(container, Map.of("covet.heartbeat.interval", "500ms",
                "covet.heartbeat.timeout", "500ms", "covet.outbound.max-bytes", "268435456"));
             RawClient stalled = stalledMember(server, "inflight", 16)) {
            CovetStats stats = server.bean(CovetStats.class);
            await("the heartbeat close").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> stats.snapshot().heartbeatTimeouts() == 1);
            List<Integer> received = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (true) {
                    String text = stalled.readText();
                    if (text.contains("\"event\":\"n\"")) {
                        int start = text.indexOf("\"data\":\"") + 8;
                        String data = text.substring(start, text.length() - 2);
                        int index = Integer.parseInt(data.substring(0, data.indexOf(':')));
                        assertThat(data.length()).as("broadcast %d's length", index)
                                .isEqualTo((index + ":" + MEGABYTE).length());
                        assertThat(data.equals(index + ":" + MEGABYTE)).as("broadcast %d, whole", index).isTrue();
                        received.add(index);
                    }
                }
            }).isInstanceOf(IOException.class).hasMessage("Closed by the server with 4011");
            assertThat(received).as("the broadcasts handed to the container before the close, in order")
                    .isNotEmpty().hasSizeLessThan(16);
            for (int i = 0; i < received.size(); i++) {
                assertThat(received.get(i)).isEqualTo(i);
            }
        }
    }
}
