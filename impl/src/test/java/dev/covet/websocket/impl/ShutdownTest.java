package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.connection.ConnectionRegistry;

class ShutdownTest {

    @Test
    void flushesWhatIsQueuedThenClosesEveryConnectionWith1001AndRefusesNewOnes() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), TestHandlers.ALL);
             WireClient client = WireClient.withToken(server.uri(), "leaving")) {
            client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"bye\"}}");
            client.next();
            Rooms rooms = server.bean(Rooms.class);
            for (int i = 0; i < 500; i++) {
                rooms.broadcast("bye", "n", "x".repeat(500) + i);
            }
            server.bean(ConnectionRegistry.class).closeAll();
            for (int i = 0; i < 500; i++) {
                assertThat(client.next()).endsWith(i + "\"}");
            }
            assertThat(client.closeCode()).isEqualTo(1001);
            try (WireClient late = WireClient.withToken(server.uri(), "late")) {
                assertThat(late.closeCode()).isEqualTo(1001);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.bean(ConnectionRegistry.class).count() == 0);
        }
    }

    @Test
    void closesAPeerThatStoppedReadingWhenTheFlushWindowEndsWithoutWaitingForItsFrames() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.shutdown.flush-timeout", "300ms",
                "covet.outbound.max-messages", "100000", "covet.outbound.max-bytes", "268435456"), TestHandlers.ALL);
             WireClient reading = WireClient.withToken(server.uri(), "reading");
             RawClient stalled = RawClient.open(server.uri(), Tokens.valid("stalled"), 4096)) {
            reading.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"frozen\"}}");
            reading.next();
            stalled.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"frozen\"}}");
            Rooms rooms = server.bean(Rooms.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> rooms.members("frozen").size() == 2);
            int broadcasts = 20_000;
            for (int i = 0; i < broadcasts; i++) {
                rooms.broadcast("frozen", "n", "x".repeat(1000) + i);
            }
            for (int i = 0; i < broadcasts; i++) {
                assertThat(reading.nextIgnoringNotices()).endsWith(i + "\"}");
            }
            ConnectionRegistry registry = server.bean(ConnectionRegistry.class);
            // 20 MB for the stalled peer: far more than the socket buffers hold, so its queue is not empty.
            registry.closeAll();
            assertThat(reading.closeCode()).isEqualTo(1001);
            await("the stalled connection closed").atMost(Duration.ofSeconds(10)).until(() -> registry.count() == 0);
            assertThat(stalled.closeCode()).as("the stalled peer sees its connection end").isIn(1001, 1006);
        }
    }
}
