package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.impl.cluster.OtherNode;

/**
 * The cluster on a real Redis Cluster (three masters, each with a replica; see {@link RedisClusterProcess}): room
 * messages travel as shard channels, and a slot that moves (resharding) or a master that fails (its replica takes
 * over) costs no message and repeats none.
 */
class ShardedClusterTest extends ClusterContract {

    private RedisClusterProcess cluster;

    @Override
    protected String startRedis() throws Exception {
        cluster = RedisClusterProcess.start();
        return cluster.uri();
    }

    @Override
    protected void stopRedis() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String channel(String room) {
        return "covet:{" + room + "}";
    }

    private List<Long> offsets(WireClient client, int count) throws Exception {
        List<Long> offsets = new ArrayList<>();
        while (offsets.size() < count) {
            offsets.add(offsetOf(client.nextIgnoringNotices()));
        }
        return offsets;
    }

    /** Says something as the other node, retrying while the shard is failing over or moving. */
    private void sayUntilStored(String room, String text) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> other.say(room, text) > 0);
    }

    @Test
    void everyShardDeliversItsRoomsAndOneSeedIsEnoughToFindTheCluster() throws Exception {
        try (OtherNode seeded = new OtherNode(cluster.seedUri(), "seeded-node")) {
            for (int range = 0; range < 3; range++) {
                String room = RedisClusterProcess.nameIn(range, "r" + range);
                try (WireClient a = member("ann" + range, room)) {
                    a.send("{\"event\":\"room.say\",\"data\":{\"text\":\"here\",\"tag\":\"" + room + "\"}}");
                    assertThat(a.nextIgnoringNotices()).contains("\"offset\":1").contains("here");
                    assertThat(other.say(room, "there")).isEqualTo(2);
                    assertThat(seeded.say(room, "from a seed")).isEqualTo(3);
                    assertThat(a.nextIgnoringNotices()).contains("\"offset\":2").contains("there");
                    assertThat(a.nextIgnoringNotices()).contains("\"offset\":3").contains("from a seed");
                    a.assertNothingQueued();
                }
            }
        }
    }

    @Test
    void aSlotMovedMidStreamMissesNothingAndRepeatsNothing() throws Exception {
        String room = RedisClusterProcess.nameIn(0, "moving-");
        try (WireClient a = member("mo", room)) {
            for (int i = 1; i <= 5; i++) {
                other.say(room, "before " + i);
            }
            int from = cluster.masterOf(channel(room));
            int to = cluster.anotherMaster(from);
            cluster.moveSlot(channel(room), from, to);
            for (int i = 6; i <= 20; i++) {
                sayUntilStored(room, "after " + i);
            }
            assertThat(offsets(a, 20)).isEqualTo(LongStream.rangeClosed(1, 20).boxed().toList());
            a.assertNothingQueued();
            assertThat(cluster.masterOf(channel(room))).isEqualTo(to);
        }
    }

    @Test
    void aFailedMasterWhoseReplicaTakesOverCostsNoMessageAndRepeatsNone() throws Exception {
        String room = RedisClusterProcess.nameIn(2, "failing-");
        try (WireClient a = member("fi", room)) {
            for (int i = 1; i <= 5; i++) {
                other.say(room, "before " + i);
            }
            assertThat(offsets(a, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
            long reconnects = server.bean(CovetStats.class).snapshot().cluster().reconnects();
            int master = cluster.masterOf(channel(room));
            cluster.awaitReplicated(master);
            cluster.kill(master);
            for (int i = 6; i <= 15; i++) {
                sayUntilStored(room, "after " + i);
            }
            assertThat(offsets(a, 10)).isEqualTo(LongStream.rangeClosed(6, 15).boxed().toList());
            a.assertNothingQueued();
            assertThat(cluster.masterOf(channel(room))).isNotEqualTo(master);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "up".equals(server.bean(CovetStats.class).snapshot().cluster().state()));
            assertThat(server.bean(CovetStats.class).snapshot().cluster().reconnects()).isGreaterThan(reconnects);
        }
    }
}
