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

import dev.covet.websocket.Rooms;

class RoomsTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void broadcastReachesEveryMemberExactlyOnceAndNobodyElse() throws Exception {
        try (WireClient a = WireClient.withToken(server.uri(), "a");
             WireClient b = WireClient.withToken(server.uri(), "b");
             WireClient outsider = WireClient.withToken(server.uri(), "c")) {
            a.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"r1\"}}");
            assertThat(a.next()).matches("\\{\"event\":\"\\$room\\.join\",\"replyTo\":\"j\",\"data\":\\{\"epoch\":\"\\w+\","
                    + "\"members\":1,\"offset\":0,\"role\":\"member\",\"room\":\"r1\",\"users\":1}}");
            b.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"r1\"}}");
            assertThat(b.next()).contains("\"members\":2");

            a.send("{\"event\":\"room.say\",\"data\":{\"text\":\"hello\",\"tag\":\"r1\"}}");
            String expected = "{\"event\":\"room.said\",\"room\":\"r1\",\"offset\":1,\"data\":{\"tag\":\"r1\","
                    + "\"text\":\"hello\"}}";
            assertThat(a.nextIgnoringNotices()).isEqualTo(expected);
            assertThat(b.nextIgnoringNotices()).isEqualTo(expected);
            a.assertNothingQueued();
            b.assertNothingQueued();
            outsider.assertNothingQueued();
            assertThat(server.bean(dev.covet.websocket.CovetStats.class).rooms().get("r1"))
                    .as("b's arrival notice to a, then the message to both")
                    .isEqualTo(new dev.covet.websocket.CovetStats.Room(2, 2, 3, 0));
        }
    }

    @Test
    void aMemberThatLeftOrClosedReceivesNoMore() throws Exception {
        try (WireClient stayer = WireClient.withToken(server.uri(), "s")) {
            WireClient closer = WireClient.withToken(server.uri(), "c");
            WireClient leaver = WireClient.withToken(server.uri(), "l");
            for (WireClient c : List.of(stayer, closer, leaver)) {
                c.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"r2\"}}");
                c.next();
            }
            leaver.send("{\"event\":\"$room.leave\",\"id\":\"x\",\"data\":{\"room\":\"r2\"}}");
            assertThat(leaver.next()).contains("\"replyTo\":\"x\"").contains("\"members\":2");
            closer.close();
            Rooms rooms = server.bean(Rooms.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> rooms.members("r2").size() == 1);
            assertThat(rooms.broadcast("r2", "ping", null)).isEqualTo(1);
            assertThat(stayer.nextIgnoringNotices()).matches("\\{\"event\":\"ping\",\"room\":\"r2\",\"offset\":\\d+}");
            leaver.assertNothingQueued();
            leaver.close();
        }
    }

    @Test
    void refusesInvalidRoomNamesAndLeavingARoomNotJoined() throws Exception {
        try (WireClient c = WireClient.withToken(server.uri(), "v")) {
            c.send("{\"event\":\"$room.join\",\"id\":\"1\",\"data\":{\"room\":\"\"}}");
            assertThat(c.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"1\",\"error\":{\"code\":"
                    + "\"validation_failed\",\"message\":\"Invalid room\",\"details\":[{\"path\":\"room\","
                    + "\"message\":\"must not be blank\"}]}}");
            c.send("{\"event\":\"$room.leave\",\"id\":\"2\",\"data\":{\"room\":\"never\"}}");
            assertThat(c.next()).contains("\"code\":\"not_found\"");
            c.send("{\"event\":\"$room.fly\",\"id\":\"3\"}");
            assertThat(c.next()).contains("\"code\":\"unknown_event\"");
        }
    }

    @Test
    void concurrentBroadcastsAreAllDeliveredInFullToEveryMember() throws Exception {
        List<WireClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                WireClient c = WireClient.withToken(server.uri(), "m" + i);
                c.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"busy\"}}");
                c.next();
                members.add(c);
            }
            Rooms rooms = server.bean(Rooms.class);
            int perThread = 200;
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        rooms.broadcast("busy", "n", thread + ":" + i);
                    }
                });
                sender.start();
                threads.add(sender);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (WireClient member : members) {
                List<String> received = new ArrayList<>();
                for (int i = 0; i < 4 * perThread; i++) {
                    received.add(member.nextIgnoringNotices());
                }
                assertThat(received).doesNotHaveDuplicates().hasSize(4 * perThread);
                member.assertNothingQueued();
            }
        } finally {
            members.forEach(WireClient::close);
        }
    }
}
