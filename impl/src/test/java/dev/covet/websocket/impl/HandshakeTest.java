package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static TestServer server;
    private static TestHandlers.Lifecycle lifecycle;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.allowed-origins", "https://app.example.com"), TestHandlers.ALL);
        lifecycle = server.bean(TestHandlers.Lifecycle.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forget() {
        lifecycle.events().clear();
    }

    @Test
    void admitsAValidBearerTokenAndExposesItsSubject() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "alice")) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle.events().size() == 2);
        assertThat(lifecycle.events()).containsExactly("connected:alice", "disconnected:1000");
    }

    @Test
    void admitsAValidTokenFromTheAccessTokenParameter() throws Exception {
        try (WireClient client = WireClient.connect(
                java.net.URI.create(server.uri() + "?access_token=" + Tokens.valid("bob")), Map.of())) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
    }

    @Test
    void refusesAConnectionWithoutCredentials() throws Exception {
        assertRefused(Map.of());
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").expirationTime(
                Date.from(Instant.now().minusSeconds(120))).build(), TestServer.SECRET));
    }

    @Test
    void refusesATokenWithoutExpiry() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").expirationTime(null).build(), TestServer.SECRET));
    }

    @Test
    void refusesAWrongIssuer() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").issuer("elsewhere").build(), TestServer.SECRET));
    }

    @Test
    void refusesAWrongAudience() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").audience("other-app").build(), TestServer.SECRET));
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").build(), "another-secret-another-secret-0123456789"));
    }

    @Test
    void refusesAnUnsignedAlgNoneToken() throws Exception {
        String valid = Tokens.valid("eve");
        String payload = valid.split("\\.")[1];
        for (String alg : new String[] {"none", "None", "NONE", "nOnE"}) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
            assertRefusedToken(header + "." + payload + ".");
        }
    }

    @Test
    void refusesAForeignOrigin() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + Tokens.valid("alice"), "Origin", "https://evil.example"));
    }

    @Test
    void admitsAListedOrigin() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of(
                "Authorization", "Bearer " + Tokens.valid("alice"), "Origin", "https://app.example.com"))) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
    }

    @Test
    void admitsTheServersOwnOrigin() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of(
                "Authorization", "Bearer " + Tokens.valid("alice"), "Origin", "http://127.0.0.1:" + server.port()))) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
    }

    private static void assertRefusedToken(String token) throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + token));
    }

    /** Refused: either the upgrade fails, or the socket is closed with 1008 before any frame; no user code ran. */
    private static void assertRefused(Map<String, String> headers) throws Exception {
        WireClient client;
        try {
            client = WireClient.connect(server.uri(), headers);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertNoUserCodeRan();
            return;
        }
        try (client) {
            assertThat(client.closeCode()).isEqualTo(1008);
            assertThat(client.poll(Duration.ZERO)).isNull();
        }
        assertNoUserCodeRan();
    }

    /** Earlier tests' disconnects may still arrive; a refused handshake must never produce Connected. */
    private static void assertNoUserCodeRan() {
        assertThat(lifecycle.events()).noneMatch(e -> e.startsWith("connected:"));
    }
}
