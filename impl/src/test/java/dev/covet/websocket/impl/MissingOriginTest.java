package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code covet.allowed-origins.missing=refuse}: a handshake without Origin is refused, one with a listed Origin not. */
class MissingOriginTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.allowed-origins.missing", "refuse",
                "covet.allowed-origins", "https://app.example.com"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refusesAHandshakeWithoutOrigin() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "alice")) {
            assertThat(client.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void admitsAListedOrigin() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer "
                + Tokens.valid("alice"), "Origin", "https://app.example.com"))) {
            client.send("{\"event\":\"ping\",\"id\":\"p\"}");
            assertThat(client.next()).contains("\"replyTo\":\"p\"");
        }
    }
}
