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
}
