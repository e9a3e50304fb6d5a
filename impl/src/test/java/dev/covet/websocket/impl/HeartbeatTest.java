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
import dev.covet.websocket.room.RoomDeleted;

class HeartbeatTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Class<?>[] beans = Arrays.copyOf(TestHandlers.ALL, TestHandlers.ALL.length + 1);
        beans[TestHandlers.ALL.length] = HeldObservers.class;
        server = TestServer.start(Map.of("covet.heartbeat.interval", "200ms", "covet.heartbeat.timeout", "400ms",
                "covet.rooms.temporary-grace", "1s"), beans);
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
        HeldObservers held = server.bean(HeldObservers.class);
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

    @Test
    void anApplicationObserverThatBlocksOnADeletedTemporaryRoomHoldsNoHeartbeat() throws Exception {
        HeldObservers held = server.bean(HeldObservers.class);
        Connections connections = server.bean(Connections.class);
        try {
            try (WireClient member = WireClient.withToken(server.uri(), "visitor")) {
                member.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"held-room\"}}");
                assertThat(Requests.untilReplyTo(member, "j")).contains("\"room\":\"held-room\"");
            }
            await("the application's observer blocks").atMost(Duration.ofSeconds(5)).until(() -> held.roomEntered());
            try (RawClient silent = RawClient.open(server.uri(), Tokens.valid("after-room"), 64 * 1024)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> connections.byUser("after-room").size() == 1);
                assertThat(silent.closeCode()).as("a silent peer, while the observer still blocks").isEqualTo(4011);
            }
        } finally {
            held.releaseRoom();
        }
    }

    /**
     * An application's observers that block until released: {@code Disconnected} for user {@code held}, and
     * {@code RoomDeleted} for room {@code held-room}.
     */
    @ApplicationScoped
    static class HeldObservers {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final CountDownLatch roomEntered = new CountDownLatch(1);
        private final CountDownLatch roomRelease = new CountDownLatch(1);

        void disconnected(@Observes Disconnected event) throws InterruptedException {
            if (event.connection().principal().map(Principal::getName).filter("held"::equals).isPresent()) {
                entered.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
        }

        void deleted(@Observes RoomDeleted event) throws InterruptedException {
            if (event.room().equals("held-room")) {
                roomEntered.countDown();
                roomRelease.await(30, TimeUnit.SECONDS);
            }
        }

        boolean roomEntered() {
            return roomEntered.getCount() == 0;
        }

        void releaseRoom() {
            roomRelease.countDown();
        }

        boolean entered() {
            return entered.getCount() == 0;
        }

        void release() {
            release.countDown();
        }
    }
}
