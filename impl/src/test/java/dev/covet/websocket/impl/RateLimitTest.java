package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.CovetStats;

/** The per-minute bucket (5, one token back every 12 s) makes message counts deterministic over the wire. */
class RateLimitTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(
                "covet.rate.messages-per-second", "100",
                "covet.rate.messages-per-minute", "5",
                "covet.rate.bytes-per-second", "2000",
                "covet.rate.violations-before-close", "3"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String echo(int id, String text) {
        return "{\"event\":\"echo\",\"id\":\"" + id + "\",\"data\":{\"text\":\"" + text + "\"}}";
    }

    @Test
    void answersAFloodWithRateLimitedThenClosesPersistentAbuseWith4029() throws Exception {
        try (WireClient flooder = WireClient.withToken(server.uri(), "flooder")) {
            for (int i = 1; i <= 8; i++) {
                flooder.send(echo(i, "x"));
            }
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(flooder.next());
            }
            assertThat(answers.subList(0, 5)).allMatch(a -> a.startsWith("{\"event\":\"echo\""));
            assertThat(answers.subList(5, 8)).allMatch(a -> a.matches(
                    "\\{\"event\":\"error\",\"replyTo\":\"[678]\",\"error\":\\{\"code\":\"rate_limited\","
                            + "\"message\":\"Rate limit exceeded\",\"retryAfterMs\":[1-9][0-9]*}}"));
            assertThat(flooder.closeCode()).isEqualTo(4029);
        }
        CovetStats.Snapshot stats = server.bean(CovetStats.class).snapshot();
        assertThat(stats.rateLimited()).isGreaterThanOrEqualTo(3);
        assertThat(stats.rateLimitCloses()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void limitsBytesPerSecond() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "bytes")) {
            client.send(echo(1, "b".repeat(1500)));
            assertThat(client.next()).startsWith("{\"event\":\"echo\",\"replyTo\":\"1\"");
            client.send(echo(2, "b".repeat(1500)));
            assertThat(client.next()).contains("\"replyTo\":\"2\"").contains("\"code\":\"rate_limited\"");
        }
    }

    @Test
    void aFlooderDoesNotDelayAnotherClient() throws Exception {
        try (WireClient flooder = WireClient.withToken(server.uri(), "flood2");
             WireClient victim = WireClient.withToken(server.uri(), "victim")) {
            Thread flood = new Thread(() -> {
                try {
                    for (int i = 0; i < 500 && !flooder.isClosed(); i++) {
                        flooder.send(echo(i, "f"));
                    }
                } catch (Exception e) {
                    // the flooder is closed with 4029 part-way: expected
                }
            });
            flood.start();
            long started = System.nanoTime();
            for (int i = 1; i <= 4; i++) {
                victim.send(echo(i, "v"));
                assertThat(victim.next()).startsWith("{\"event\":\"echo\",\"replyTo\":\"" + i + "\"");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            flood.join(10_000);
        }
    }
}
