package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.Connections;
import dev.covet.websocket.CovetStats;

class HeartbeatTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.heartbeat.interval", "200ms", "covet.heartbeat.timeout", "400ms"),
                TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void closesAPeerThatNeverAnswersPingsWith4011AndCleansItUp() throws Exception {
        TestHandlers.Lifecycle lifecycle = server.bean(TestHandlers.Lifecycle.class);
        Connections connections = server.bean(Connections.class);
        try (RawClient silent = RawClient.open(server.uri(), Tokens.valid("silent"), 64 * 1024)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("silent").size() == 1);
            assertThat(silent.closeCode()).as("what the silent peer reads, answering no ping").isEqualTo(4011);
            await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("silent").isEmpty());
            assertThat(lifecycle.events()).contains("disconnected:4011");
            assertThat(server.bean(CovetStats.class).snapshot().heartbeatTimeouts()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void keepsAPeerThatAnswersPings() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "lively")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> client.pings() >= 3);
            assertThat(client.isClosed()).isFalse();
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"alive\"}}");
            assertThat(client.next()).contains("alive");
            assertThat(client.isClosed()).isFalse();
        }
    }
}
