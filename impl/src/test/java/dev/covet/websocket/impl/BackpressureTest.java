package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.Rooms;

class BackpressureTest {

    private static final String PAD = "p".repeat(1000);
    private static final int BROADCASTS = 20_000;
    /** Broadcasts sent before the fast reader reads them: half the queue bound the tests set. */
    private static final int STEP = 50;

    private static void join(WireClient client, String room) throws Exception {
        client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"" + room + "\"}}");
        client.next();
    }

    /** What the server reported while both peers were still connected. */
    private record Outcome(CovetStats.Snapshot stats, Map<String, CovetStats.Room> rooms, int members) {
    }


    /** A raw peer joins, then stops reading: its TCP window fills, its queue overflows, the others are served. */
    private static Outcome flood(TestServer server, String room, int membersAfter) throws Exception {
        try (WireClient fast = WireClient.withToken(server.uri(), "fast");
             RawClient stalled = RawClient.open(server.uri(), Tokens.valid("stalled"), 4096)) {
            join(fast, room);
            stalled.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"" + room + "\"}}");
            Rooms rooms = server.bean(Rooms.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> rooms.members(room).size() == 2);
            // The fast reader keeps pace: it reads each step before the next is sent. (Unpaced, whether it kept up
            // with 20 MB sent as fast as the server can would depend on the machine's scheduling, not on Covet.)
            for (int sent = 0; sent < BROADCASTS; sent += STEP) {
                for (int i = sent; i < sent + STEP; i++) {
                    rooms.broadcast(room, "n", PAD + i);
                }
                for (int i = sent; i < sent + STEP; i++) {
                    String frame = fast.nextIgnoringNotices();
                    assertThat(frame).as("broadcast %d to the fast reader", i).endsWith(PAD + i + "\"}");
                }
            }
            await("members of the room after the flood").atMost(Duration.ofSeconds(20))
                    .until(() -> rooms.members(room).size() == membersAfter);
            CovetStats stats = server.bean(CovetStats.class);
            return new Outcome(stats.snapshot(), stats.rooms(), rooms.members(room).size());
        }
    }

    @Test
    void closesAReaderThatStoppedReadingWith4008WhileOthersReceiveEverything() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.outbound.max-messages", "100"), TestHandlers.ALL)) {
            Outcome outcome = flood(server, "stall-close", 1);
            assertThat(outcome.stats().slowConsumerCloses()).isEqualTo(1);
            assertThat(outcome.members()).isEqualTo(1);
            await("its Disconnected event").atMost(Duration.ofSeconds(20))
                    .until(() -> server.bean(TestHandlers.Lifecycle.class).events().contains("disconnected:4008"));
        }
    }

    @Test
    void dropsTheOldestBroadcastsForAStalledReaderUnderTheDropOldestPolicy() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.outbound.max-messages", "100",
                "covet.outbound.overflow", "drop-oldest"), TestHandlers.ALL)) {
            Outcome outcome = flood(server, "stall-drop", 2);
            assertThat(outcome.stats().slowConsumerCloses()).isZero();
            assertThat(outcome.stats().dropped()).isPositive();
            assertThat(outcome.members()).isEqualTo(2);
            CovetStats.Room room = outcome.rooms().get("stall-drop");
            assertThat(room.members()).isEqualTo(2);
            assertThat(room.messages()).as("the broadcasts, after the joins' notices").isGreaterThanOrEqualTo(BROADCASTS);
            assertThat(room.deliveries()).isGreaterThanOrEqualTo(2L * BROADCASTS);
            assertThat(room.dropped()).as("every drop was one of this room's").isEqualTo(outcome.stats().dropped());
        }
    }
}
