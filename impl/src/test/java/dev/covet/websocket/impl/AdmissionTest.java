package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.Connections;
import dev.covet.websocket.CovetStats;

class AdmissionTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(
                "covet.connections.max-per-ip", "3",
                "covet.connections.max-per-user", "2",
                "covet.trusted-proxies", "127.0.0.1"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WireClient from(String ip, String user) throws Exception {
        return WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + Tokens.valid(user),
                "X-Forwarded-For", "198.51.100.99, " + ip));
    }

    @Test
    void refusesOneConnectionOverThePerIpLimitWith1013AndLeavesTheOthersWorking() throws Exception {
        List<WireClient> admitted = new ArrayList<>();
        try {
            for (String user : List.of("ip-a", "ip-b", "ip-c")) {
                admitted.add(from("203.0.113.10", user));
            }
            try (WireClient fourth = from("203.0.113.10", "ip-d")) {
                assertThat(fourth.closeCode()).isEqualTo(1013);
            }
            try (WireClient elsewhere = from("203.0.113.11", "ip-e")) {
                elsewhere.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"other ip\"}}");
                assertThat(elsewhere.next()).contains("other ip");
            }
            for (WireClient client : admitted) {
                client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"still\"}}");
                assertThat(client.next()).contains("still");
            }
            assertThat(server.bean(CovetStats.class).snapshot().refused()).containsKey("capacity-ip");
        } finally {
            admitted.forEach(WireClient::close);
        }
    }

    @Test
    void refusesAThirdConnectionOfOneUserAndAdmitsAgainAfterOneCloses() throws Exception {
        WireClient first = from("203.0.113.20", "carol");
        try (WireClient second = from("203.0.113.21", "carol")) {
            try (WireClient third = from("203.0.113.22", "carol")) {
                assertThat(third.closeCode()).isEqualTo(1013);
            }
            assertThat(first.isClosed()).as("the user's first connection").isFalse();
            assertThat(second.isClosed()).as("the user's second connection").isFalse();
            Connections connections = server.bean(Connections.class);
            // The slots are taken in handshake order; a client's handshake may complete before its open is done.
            await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("carol").size() == 2);
            first.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("carol").size() == 1);
            try (WireClient again = from("203.0.113.23", "carol")) {
                again.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"back\"}}");
                assertThat(again.next()).contains("back");
            }
        }
    }

    @Test
    void takesTheClientIpFromTheRightmostUntrustedForwardedEntry() throws Exception {
        try (WireClient client = from("203.0.113.30", "dave")) {
            client.send("{\"event\":\"whoami\",\"id\":\"w\"}");
            assertThat(client.next()).isEqualTo("{\"event\":\"whoami\",\"replyTo\":\"w\",\"data\":\"203.0.113.30\"}");
        }
    }
}
