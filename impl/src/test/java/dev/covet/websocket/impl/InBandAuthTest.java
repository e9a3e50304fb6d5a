package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.connection.TimeSource;

/**
 * First-message authentication ({@code $auth}), its timeout (4001), credential expiry (4002) and in-band refresh
 * ({@code $auth.refresh}), over a real socket.
 */
class InBandAuthTest {

    private static TestServer server;
    private static TestHandlers.Lifecycle lifecycle;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.auth.first-message", "true",
                "covet.auth.first-message.timeout", "1s",
                "covet.heartbeat.interval", "200ms",
                "covet.heartbeat.timeout", "5s",
                "covet.auth.jwt.clock-skew", "0s",
                "covet.connections.max-per-user", "2"), TestHandlers.ALL);
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
    void aPendingConnectionMayOnlyAuthenticateThenWorksAsItsUser() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of())) {
            client.send("{\"event\":\"me\",\"id\":\"1\"}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"").contains("\"code\":\"unauthorized\"");
            client.send("{\"event\":\"$room.join\",\"id\":\"2\",\"data\":{\"room\":\"r\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"2\"").contains("\"code\":\"unauthorized\"");
            assertThat(lifecycle.events()).as("no Connected before authentication")
                    .noneMatch(e -> e.startsWith("connected:"));
            client.send("{\"event\":\"$auth\",\"id\":\"3\",\"data\":{\"token\":\"forged.token.value\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"3\"").contains("\"code\":\"unauthorized\"");
            client.send("{\"event\":\"$auth\",\"id\":\"3b\",\"data\":{\"token\":\"" + Tokens.valid("~c0ffee")
                    + "\"}}");
            assertThat(client.next()).as("a token naming an anonymous connection's user")
                    .contains("\"replyTo\":\"3b\"").contains("\"code\":\"unauthorized\"");
            client.send("{\"event\":\"$auth\",\"id\":\"4\",\"data\":{\"token\":\"" + Tokens.valid("alice") + "\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"4\"").contains("\"user\":\"alice\"")
                    .contains("\"expiresAt\":");
            client.send("{\"event\":\"me\",\"id\":\"5\"}");
            assertThat(client.next()).contains("\"replyTo\":\"5\"").contains("alice [member]");
            assertThat(lifecycle.events()).filteredOn(e -> e.startsWith("connected:"))
                    .containsExactly("connected:alice");
            client.send("{\"event\":\"$auth\",\"id\":\"6\",\"data\":{\"token\":\"" + Tokens.valid("bob") + "\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"6\"").contains("\"code\":\"conflict\"");
        }
    }

    @Test
    void aConnectionThatDoesNotAuthenticateInTimeIsClosed4001() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of())) {
            await().atMost(Duration.ofSeconds(5)).until(client::isClosed);
            assertThat(client.closeCode()).isEqualTo(4001);
        }
        assertThat(lifecycle.events()).as("a never-authenticated connection is never announced")
                .noneMatch(e -> e.startsWith("connected:") || e.equals("disconnected:4001"));
    }

    @Test
    void expiredCredentialsCloseTheConnection4002() throws Exception {
        String token = Tokens.sign(Tokens.claims("carol").expirationTime(
                Date.from(Instant.now().plusSeconds(60))).build(), TestServer.SECRET);
        try (WireClient client = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + token))) {
            client.send("{\"event\":\"ping\",\"id\":\"p\"}");
            assertThat(client.next()).contains("\"replyTo\":\"p\"");
            assertThat(client.isClosed()).isFalse();
            advanceWallClock(Duration.ofSeconds(120));
            assertThat(client.closeCode()).as("closed on the next heartbeat sweep").isEqualTo(4002);
            assertThat(client.closeReason()).isEqualTo("credentials expired");
        } finally {
            advanceWallClock(Duration.ZERO);
        }
    }

    @Test
    void refreshingBeforeExpiryKeepsTheConnectionAndAnotherUsersTokenIsRefused() throws Exception {
        String shortLived = Tokens.sign(Tokens.claims("dave").expirationTime(
                Date.from(Instant.now().plusSeconds(60))).build(), TestServer.SECRET);
        String control = Tokens.sign(Tokens.claims("dan").expirationTime(
                Date.from(Instant.now().plusSeconds(60))).build(), TestServer.SECRET);
        try (WireClient client = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + shortLived));
             WireClient unrefreshed = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + control))) {
            client.send("{\"event\":\"$auth.refresh\",\"id\":\"x\",\"data\":{\"token\":\"" + Tokens.valid("erin")
                    + "\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"x\"").contains("\"code\":\"forbidden\"");
            client.send("{\"event\":\"$auth.refresh\",\"id\":\"r\",\"data\":{\"token\":\"" + Tokens.valid("dave")
                    + "\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"r\"").contains("\"user\":\"dave\"");
            advanceWallClock(Duration.ofSeconds(120));
            assertThat(unrefreshed.closeCode()).isEqualTo(4002);
            // A connection opened after that sweep is closed by a later one: by then the sweep that closed the
            // control connection has finished, and it checked the refreshed connection with the advanced clock.
            try (WireClient later = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + control))) {
                assertThat(later.closeCode()).isEqualTo(4002);
            }
            assertThat(client.isClosed()).isFalse();
            client.send("{\"event\":\"ping\",\"id\":\"p\"}");
            assertThat(client.next()).as("still open after the first token expired").contains("\"replyTo\":\"p\"");
        } finally {
            advanceWallClock(Duration.ZERO);
        }
    }

    /** Moves the library's wall clock (expiries) ahead; its monotonic clock (heartbeats) keeps real time. */
    private static void advanceWallClock(Duration ahead) {
        server.bean(TimeSource.class).use(Clock.offset(Clock.systemUTC(), ahead), System::nanoTime);
    }

    @Test
    void authenticatingInBandCountsAgainstThePerUserLimitAndGivesTheSlotBack() throws Exception {
        String auth = "{\"event\":\"$auth\",\"id\":\"a\",\"data\":{\"token\":\"" + Tokens.valid("gina") + "\"}}";
        try (WireClient first = WireClient.connect(server.uri(), Map.of());
             WireClient second = WireClient.connect(server.uri(), Map.of());
             WireClient third = WireClient.connect(server.uri(), Map.of())) {
            first.send(auth);
            assertThat(first.next()).contains("\"user\":\"gina\"");
            second.send(auth);
            assertThat(second.next()).contains("\"user\":\"gina\"");
            third.send(auth);
            assertThat(third.next()).contains("\"code\":\"conflict\"");
            assertThat(third.closeCode()).isEqualTo(1013);
            first.close();
            await("the closed connection's slot is given back").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try (WireClient fourth = WireClient.connect(server.uri(), Map.of())) {
                    fourth.send(auth);
                    assertThat(fourth.next()).contains("\"user\":\"gina\"");
                }
            });
        }
    }

    @Test
    void refreshWithoutDataIsAValidationError() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "frank")) {
            client.send("{\"event\":\"$auth.refresh\",\"id\":\"v\",\"data\":{}}");
            assertThat(client.next()).contains("\"replyTo\":\"v\"").contains("\"code\":\"validation_failed\"");
        }
    }

    @Test
    void guessingTokensClosesTheConnectionAfterThreeFailuresAndIsCounted() throws Exception {
        dev.covet.websocket.CovetStats stats = server.bean(dev.covet.websocket.CovetStats.class);
        long failuresBefore = stats.snapshot().authFailures();
        long closesBefore = stats.snapshot().authFailureCloses();
        try (WireClient client = WireClient.connect(server.uri(), Map.of())) {
            for (int i = 1; i <= 3; i++) {
                client.send("{\"event\":\"$auth\",\"id\":\"g" + i + "\",\"data\":{\"token\":\"guess-" + i + "\"}}");
                assertThat(client.next()).contains("\"replyTo\":\"g" + i + "\"").contains("\"code\":\"unauthorized\"");
            }
            assertThat(client.closeCode()).isEqualTo(4001);
            assertThat(client.closeReason()).isEqualTo("authentication failed");
        }
        assertThat(stats.snapshot().authFailures() - failuresBefore).isEqualTo(3);
        assertThat(stats.snapshot().authFailureCloses() - closesBefore).isEqualTo(1);
    }
}
