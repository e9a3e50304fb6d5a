package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.Connections;
import dev.covet.websocket.CovetStats;
import dev.covet.websocket.Disconnected;

class HeartbeatTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Class<?>[] beans = Arrays.copyOf(TestHandlers.ALL, TestHandlers.ALL.length + 1);
        beans[TestHandlers.ALL.length] = HeldDisconnects.class;
        server = TestServer.start(Map.of("covet.heartbeat.interval", "200ms", "covet.heartbeat.timeout", "400ms"),
                beans);
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

    @Test
    void anApplicationObserverThatBlocksOnADisconnectHoldsNoOtherConnectionsHeartbeat() throws Exception {
        HeldDisconnects held = server.bean(HeldDisconnects.class);
        Connections connections = server.bean(Connections.class);
        try (RawClient first = RawClient.open(server.uri(), Tokens.valid("held"), 64 * 1024)) {
            assertThat(first.closeCode()).isEqualTo(4011);
            await("the application's observer blocks").atMost(Duration.ofSeconds(5)).until(() -> held.entered());
            try (RawClient second = RawClient.open(server.uri(), Tokens.valid("after-held"), 64 * 1024)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("after-held").size() == 1);
                assertThat(second.closeCode()).as("a later silent peer, while the observer still blocks")
                        .isEqualTo(4011);
                await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("after-held").isEmpty());
            }
            assertThat(held.entered()).as("still blocked").isTrue();
        } finally {
            held.release();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("held").isEmpty());
    }

    /** An application's {@code Disconnected} observer that blocks for user {@code held} until released. */
    @ApplicationScoped
    static class HeldDisconnects {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        void disconnected(@Observes Disconnected event) throws InterruptedException {
            if (event.connection().principal().map(Principal::getName).filter("held"::equals).isPresent()) {
                entered.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
        }

        boolean entered() {
            return entered.getCount() == 0;
        }

        void release() {
            release.countDown();
        }
    }
}
