package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.covet.websocket.CovetHealth;
import dev.covet.websocket.CovetStats;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.cluster.OtherNode;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.RoomStore;

/**
 * What every Redis deployment must do (one server, {@link ClusterTest}; a Redis Cluster, {@link ShardedClusterTest}):
 * one node with its rooms in real Redis, and the rest of the cluster played by {@link OtherNode}, the real store with
 * another node id, plus raw Redis to lose messages the way a network or a crash does. Every client must see each
 * offset exactly once, in order, or an explicit {@code $room.gap}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterContract {

    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");
    protected TestServer server;
    protected OtherNode other;

    /** @return the {@code covet.cluster.redis.uri} of a Redis started for the class */
    protected abstract String startRedis() throws Exception;

    protected abstract void stopRedis() throws Exception;

    @BeforeAll
    void start() throws Exception {
        String uri = startRedis();
        server = TestServer.start(Map.of("covet.cluster.redis.uri", uri, "covet.cluster.timeout", "1s"),
                TestHandlers.ALL);
        other = new OtherNode(uri, "other-node");
    }

    @AfterAll
    void stop() throws Exception {
        if (other != null) {
            other.close();
        }
        if (server != null) {
            server.close();
        }
        stopRedis();
    }

    protected WireClient member(String user, String room) throws Exception {
        // Another case may just have cut the subscribers: a join made while the node resubscribes is only subscribed
        // once the node is back, and pushes published before that are lost (they are at most once, cluster.md).
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "up".equals(server.bean(CovetStats.class).snapshot().cluster().state()));
        WireClient client = WireClient.withToken(server.uri(), user);
        client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"" + room + "\"}}");
        assertThat(client.nextIgnoringNotices()).contains("\"replyTo\":\"j\"");
        return client;
    }

    protected static long offsetOf(String frame) {
        Matcher matcher = OFFSET.matcher(frame);
        assertThat(matcher.find()).as("an offset in " + frame).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void statisticsAndHealthReportTheCluster() {
        // Another case may just have cut the subscribers: the node reports degraded until it has resubscribed.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "up".equals(server.bean(CovetStats.class).snapshot().cluster().state()));
        CovetStats.Cluster cluster = server.bean(CovetStats.class).snapshot().cluster();
        assertThat(cluster.node()).isNotBlank();
        assertThat(server.bean(CovetHealth.class).readiness().details()).containsEntry("cluster", "up");
    }

    @Test
    void messagesOfThisNodeAndOfOthersArriveOnceInOffsetOrder() throws Exception {
        try (WireClient a = member("ann", "mix")) {
            a.send("{\"event\":\"room.say\",\"data\":{\"text\":\"here\",\"tag\":\"mix\"}}");
            assertThat(a.nextIgnoringNotices()).isEqualTo("{\"event\":\"room.said\",\"room\":\"mix\",\"offset\":1,"
                    + "\"data\":{\"tag\":\"mix\",\"text\":\"here\"}}");
            assertThat(other.say("mix", "there")).isEqualTo(2);
            assertThat(a.nextIgnoringNotices()).isEqualTo("{\"event\":\"room.said\",\"room\":\"mix\",\"offset\":2,"
                    + "\"data\":{\"tag\":\"mix\",\"text\":\"there\"}}");
            a.assertNothingQueued();
        }
    }

    @Test
    void aPublicationThisNodeMissedIsFilledFromHistoryBeforeWhatFollows() throws Exception {
        try (WireClient a = member("bea", "miss")) {
            other.sayUnheard("miss", "lost in transit");
            other.say("miss", "next");
            assertThat(a.nextIgnoringNotices()).contains("\"offset\":1").contains("lost in transit");
            assertThat(a.nextIgnoringNotices()).contains("\"offset\":2").contains("next");
            a.assertNothingQueued();
        }
    }

    @Test
    void messagesGoneFromHistoryAreReportedAsAGap() throws Exception {
        try (WireClient a = member("cid", "gone")) {
            other.lose("gone", 5);
            other.say("gone", "after the gap");
            assertThat(a.nextIgnoringNotices()).isEqualTo("{\"event\":\"$room.gap\",\"room\":\"gone\",\"data\":"
                    + "{\"from\":1,\"room\":\"gone\",\"to\":5}}");
            assertThat(a.nextIgnoringNotices()).contains("\"offset\":6").contains("after the gap");
            a.assertNothingQueued();
            assertThat(server.bean(CovetStats.class).snapshot().cluster().gapsReported()).isPositive();
            a.send("{\"event\":\"$history\",\"id\":\"kept\",\"data\":{\"room\":\"gone\"}}");
            assertThat(a.nextIgnoringNotices()).as("without since: what is kept").contains("\"replyTo\":\"kept\"")
                    .contains("\"offset\":6,\"data\"").contains("\"recovered\":false").doesNotContain("\"offset\":5,");
            a.send("{\"event\":\"$history\",\"id\":\"all\",\"data\":{\"room\":\"gone\",\"since\":0}}");
            assertThat(a.nextIgnoringNotices()).as("with since: all or nothing").contains("\"replyTo\":\"all\"")
                    .contains("\"messages\":[]").contains("\"recovered\":false");
        }
    }

    @Test
    void aClientRecoversOnThisNodeWhatAnotherNodeSent() throws Exception {
        String epoch;
        try (WireClient a = member("dan", "rec")) {
            a.send("{\"event\":\"room.say\",\"data\":{\"text\":\"one\",\"tag\":\"rec\"}}");
            String first = a.nextIgnoringNotices();
            assertThat(offsetOf(first)).isEqualTo(1);
            a.send("{\"event\":\"$room.info\",\"id\":\"i\",\"data\":{\"room\":\"rec\"}}");
            String info = a.nextIgnoringNotices();
            epoch = info.replaceAll(".*\"epoch\":\"([^\"]+)\".*", "$1");
            // Keep the room while dan is away: another user stays.
            try (WireClient keeper = member("keeper", "rec")) {
                a.close();
                other.say("rec", "two");
                other.say("rec", "three");
                try (WireClient back = WireClient.withToken(server.uri(), "dan")) {
                    back.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"rec\",\"since\":1,"
                            + "\"epoch\":\"" + epoch + "\"}}");
                    assertThat(back.nextIgnoringNotices()).contains("\"offset\":2").contains("two");
                    assertThat(back.nextIgnoringNotices()).contains("\"offset\":3").contains("three");
                    assertThat(back.nextIgnoringNotices()).contains("\"replyTo\":\"j\"").contains("\"recovered\":true")
                            .contains("\"offset\":3");
                    back.assertNothingQueued();
                }
            }
        }
    }

    @Test
    void aSubscriberCutMidStreamMissesNothingAndRepeatsNothing() throws Exception {
        try (WireClient a = member("kay", "cut")) {
            for (int i = 1; i <= 20; i++) {
                other.say("cut", "n" + i);
                if (i == 5) {
                    other.cutSubscribers();
                }
            }
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                offsets.add(offsetOf(a.nextIgnoringNotices()));
            }
            assertThat(offsets).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
            a.assertNothingQueued();
        }
    }

    @Test
    void aBanOrDeletionWhosePublicationWasLostIsAppliedOnReconnection() throws Exception {
        try (WireClient banned = member("lou", "lost1"); WireClient gone = member("liv", "lost2")) {
            other.store().restrict("lost1", RoomStore.Restriction.BAN,
                    new RoomStore.Restricted(Subject.user("lou"), null, RoomRole.ADMIN));
            other.store().delete("lost2");
            other.cutSubscribers();
            assertThat(banned.next()).isEqualTo("{\"event\":\"$room.left\",\"room\":\"lost1\","
                    + "\"data\":{\"reason\":\"banned\",\"room\":\"lost1\",\"user\":\"lou\"}}");
            assertThat(gone.next()).isEqualTo("{\"event\":\"$room.deleted\",\"room\":\"lost2\","
                    + "\"data\":{\"reason\":\"room_deleted\",\"room\":\"lost2\"}}");
        }
    }

    @Test
    void aRoomsEntriesAreCountedWithoutWhatLapsedOrNoLongerHoldsAnythingBack() {
        RoomStore store = other.store();
        Rooms rooms = server.bean(Rooms.class);
        rooms.create("ledger", RoomConfig.of(RoomType.PUBLIC, 100, 2), null);
        for (int i = 1; i <= 3; i++) {
            rooms.broadcast("ledger", "chat", "m" + i);
        }
        Instant now = Instant.now();
        store.invite("ledger", "i1", now.minusSeconds(1));
        store.invite("ledger", "i2", null);
        store.invite("ledger", "i3", now.plusSeconds(60));
        assertThat(store.full("ledger", RoomStore.Entries.INVITATIONS, 3, now)).as("one lapsed").isFalse();
        assertThat(store.full("ledger", RoomStore.Entries.INVITATIONS, 2, now)).isTrue();
        store.restrict("ledger", RoomStore.Restriction.BAN, new RoomStore.Restricted(Subject.user("b1"),
                now.minusSeconds(1), RoomRole.ADMIN));
        store.restrict("ledger", RoomStore.Restriction.BAN, new RoomStore.Restricted(Subject.user("b2"), null, null));
        store.restrict("ledger", RoomStore.Restriction.BAN, new RoomStore.Restricted(Subject.ip("192.0.2.1"),
                now.minusSeconds(1), null));
        assertThat(store.full("ledger", RoomStore.Entries.BANS, 2, now)).as("two lapsed").isFalse();
        assertThat(store.full("ledger", RoomStore.Entries.BANS, 1, now)).isTrue();
        store.restrict("ledger", RoomStore.Restriction.MUTE, new RoomStore.Restricted(Subject.user("m1"),
                now.minusSeconds(1), null));
        assertThat(store.full("ledger", RoomStore.Entries.MUTES, 1, now)).isFalse();
        store.role("ledger", "r1", RoomRole.ADMIN);
        assertThat(store.full("ledger", RoomStore.Entries.ROLES, 1, now)).as("roles never lapse").isTrue();
        // Offsets 2 and 3 are kept: a floor at 1 or below holds nothing back; a banned user's stays; the floor of
        // one no longer banned and not back moves to the last offset.
        store.recoveryFloor("ledger", "b2", Long.MAX_VALUE);
        store.recoveryFloor("ledger", "b1", Long.MAX_VALUE);
        store.recoveryFloor("ledger", "old", 1);
        store.recoveryFloor("ledger", "recent", 2);
        assertThat(store.full("ledger", RoomStore.Entries.FLOORS, 4, now)).isFalse();
        assertThat(store.recoveryFloor("ledger", "b2")).hasValue(Long.MAX_VALUE);
        assertThat(store.recoveryFloor("ledger", "b1")).hasValue(3);
        assertThat(store.recoveryFloor("ledger", "old")).isEmpty();
        assertThat(store.recoveryFloor("ledger", "recent")).hasValue(2);
        assertThat(store.full("ledger", RoomStore.Entries.FLOORS, 3, now)).isTrue();
        assertThat(store.full("nowhere", RoomStore.Entries.BANS, 1, now)).isFalse();
    }

    @Test
    void malformedClusterMessagesAreDroppedWithoutHarm() throws Exception {
        try (WireClient a = member("eve", "noise")) {
            other.publish("noise", "garbage");
            other.publish("noise", "m other-node notanumber\n{}");
            other.publish("noise", "m other-node 7\nnot json");
            other.publish("noise", "z other-node []\n{}");
            other.publish(null, "u other-node [1]\n{}");
            other.publish(null, "x other-node [\"eve\"]\n");
            a.assertNothingQueued();
            other.say("noise", "still fine");
            assertThat(a.nextIgnoringNotices()).contains("\"offset\":1").contains("still fine");
            // On Redis Cluster the node-wide channel and the room's shard channel are different connections: the
            // room message may overtake the node-wide garbage, which is counted when it arrives.
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    server.bean(CovetStats.class).snapshot().cluster().malformed() >= 6);
        }
    }

    @Test
    void whatAnotherNodeDoesToAUserReachesTheirConnectionsHere() throws Exception {
        try (WireClient f = member("fay", "sig")) {
            other.publish(null, "u other-node [\"fay\"]\n{\"event\":\"hello\",\"data\":1}");
            assertThat(f.nextIgnoringNotices()).isEqualTo("{\"event\":\"hello\",\"data\":1}");
            other.publish("sig", "r other-node [\"USER\",\"fay\",\"KICKED\",\"\"]\n");
            assertThat(f.next()).isEqualTo("{\"event\":\"$room.left\",\"room\":\"sig\",\"data\":{\"reason\":"
                    + "\"kicked\",\"room\":\"sig\",\"user\":\"fay\"}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> !other.store().isPresent("sig", "fay"));
            other.publish(null, "x other-node [\"fay\",\"4003\",\"revoked elsewhere\"]\n");
            assertThat(f.closeCode()).isEqualTo(4003);
        }
    }

    @Test
    void presenceCountsTheUsersOfEveryNode() throws Exception {
        try (WireClient g = member("gil", "crowd")) {
            other.store().enter("crowd", "other-node", "hal");
            g.send("{\"event\":\"$presence\",\"id\":\"p\",\"data\":{\"room\":\"crowd\"}}");
            assertThat(g.nextIgnoringNotices()).contains("\"gil\"").contains("\"hal\"");
            other.store().exit("crowd", "other-node", "hal");
        }
    }
}
