package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * A temporary room is deleted the moment its last member leaves (grace 0) while another client joins it: the join
 * never fails for it; it joins the room as it is, or a fresh one.
 */
class TemporaryRoomRaceTest {

    private static final int ROUNDS = 150;

    @Test
    void aJoinRacingTheDeletionOfAnEmptyTemporaryRoomStillJoins() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.rooms.temporary-grace", "0s",
                "covet.rate.messages-per-second", "100000", "covet.rate.messages-per-minute", "1000000"), TestHandlers.ALL)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<String>>> runs = new ArrayList<>();
                for (String user : List.of("flip", "flop")) {
                    runs.add(pool.submit(joinAndLeave(server, user)));
                }
                for (Future<List<String>> run : runs) {
                    assertThat(run.get()).as("join replies that were errors").isEmpty();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Callable<List<String>> joinAndLeave(TestServer server, String user) {
        return () -> {
            List<String> failures = new ArrayList<>();
            try (WireClient client = WireClient.withToken(server.uri(), user)) {
                for (int i = 0; i < ROUNDS; i++) {
                    client.send("{\"event\":\"$room.join\",\"id\":\"j" + i + "\",\"data\":{\"room\":\"flicker\"}}");
                    String reply = replyTo(client, "j" + i);
                    if (reply.contains("\"error\"")) {
                        failures.add(reply);
                    }
                    client.send("{\"event\":\"$room.leave\",\"id\":\"l" + i + "\",\"data\":{\"room\":\"flicker\"}}");
                    replyTo(client, "l" + i);
                }
            }
            return failures;
        };
    }

    private static String replyTo(WireClient client, String id) throws InterruptedException {
        while (true) {
            String frame = client.next();
            if (frame.contains("\"replyTo\":\"" + id + "\"")) {
                return frame;
            }
        }
    }
}
