package dev.covet.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.RedisProcess;

/**
 * Two chat nodes as separate processes sharing one real Redis (what {@code COVET_CLUSTER_REDIS_URI} in the README
 * does): a client on each is in one chat — messages, presence, moderation, invitations and recovery cross nodes.
 */
class ClusterIT {

    private static final int MAX_PER_USER = 3;
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");
    private static RedisProcess redis;
    private static ChatNode one;
    private static ChatNode two;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        Map<String, String> cluster = cluster();
        one = ChatNode.start("node-one", cluster);
        two = ChatNode.start("node-two", cluster);
    }

    private static Map<String, String> cluster() {
        return Map.of("COVET_CLUSTER_REDIS_URI", redis.uri(), "COVET_CLUSTER_NODE_TIMEOUT", "2s",
                "COVET_CONNECTIONS_MAX_PER_USER", Integer.toString(MAX_PER_USER));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {one, two, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static String join(Wire wire, String room) throws Exception {
        String reply = wire.request("$room.join", "join-" + room, "{\"room\":\"" + room + "\"}");
        assertThat(reply).as("join reply").contains("\"room\":\"" + room + "\"").doesNotContain("\"error\"");
        return reply;
    }

    private static long offset(String frame) {
        Matcher matcher = OFFSET.matcher(frame);
        assertThat(matcher.find()).as("offset in " + frame).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void clientsOnTwoNodesAreInOneChatInOneOrder() throws Exception {
        try (Wire ann = one.connect("ann"); Wire bob = two.connect("bob")) {
            join(ann, "plaza");
            join(bob, "plaza");
            for (int i = 0; i < 10; i++) {
                Wire sender = i % 2 == 0 ? ann : bob;
                sender.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"plaza\",\"text\":\"m" + i + "\"}}");
            }
            List<String> seenByAnn = new ArrayList<>();
            List<String> seenByBob = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                seenByAnn.add(ann.nextEvent("chat.message"));
                seenByBob.add(bob.nextEvent("chat.message"));
            }
            assertThat(seenByBob).as("the same frames in the same order on both nodes").isEqualTo(seenByAnn);
            assertThat(seenByAnn.stream().map(ClusterIT::offset).toList())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(seenByAnn).filteredOn(frame -> frame.contains("\"text\":\"m7\"")).hasSize(1);
        }
    }

    @Test
    void presenceAndNoticesSpanTheNodes() throws Exception {
        try (Wire cid = one.connect("cid")) {
            join(cid, "porch");
            try (Wire dee = two.connect("dee")) {
                join(dee, "porch");
                assertThat(cid.nextEvent("$room.joined")).contains("\"user\":\"dee\"");
                assertThat(cid.request("$presence", "p1", "{\"room\":\"porch\"}")).contains("\"cid\"")
                        .contains("\"dee\"");
                assertThat(dee.request("$presence", "p2", "{\"room\":\"porch\"}")).contains("\"cid\"")
                        .contains("\"dee\"");
            }
            assertThat(cid.nextEvent("$room.left")).contains("\"user\":\"dee\"").contains("\"disconnected\"");
            assertThat(cid.request("$presence", "p3", "{\"room\":\"porch\"}")).doesNotContain("\"dee\"");
        }
    }

    @Test
    void aBanOnOneNodeRemovesTheUserOnTheOtherAndKeepsThemOut() throws Exception {
        try (Wire owner = one.connect("olga"); Wire eve = two.connect("eve")) {
            assertThat(owner.request("$room.create", "c", "{\"room\":\"court\"}")).contains("\"role\":\"owner\"");
            join(eve, "court");
            assertThat(owner.request("$room.ban", "b", "{\"room\":\"court\",\"user\":\"eve\"}"))
                    .doesNotContain("\"error\"");
            assertThat(eve.nextEvent("$room.left")).contains("\"reason\":\"banned\"");
            assertThat(eve.request("$room.join", "again", "{\"room\":\"court\"}")).contains("\"forbidden\"");
            owner.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"court\",\"text\":\"after the ban\"}}");
            owner.nextEvent("chat.message");
            assertThat(eve.request("$presence", "p", "{\"room\":\"court\"}")).contains("\"forbidden\"");
        }
    }

    @Test
    void anInvitationReachesTheUserOnTheOtherNodeAndAKickTakesItBack() throws Exception {
        try (Wire owner = one.connect("omar"); Wire fay = two.connect("fay")) {
            owner.request("$room.create", "c", "{\"room\":\"salon\",\"type\":\"invite-only\"}");
            assertThat(fay.request("$room.join", "j1", "{\"room\":\"salon\"}")).contains("\"forbidden\"");
            owner.request("$room.invite", "i", "{\"room\":\"salon\",\"user\":\"fay\"}");
            assertThat(fay.nextEvent("$room.invited")).contains("\"room\":\"salon\"");
            join(fay, "salon");
            assertThat(owner.request("$room.kick", "k", "{\"room\":\"salon\",\"user\":\"fay\"}"))
                    .doesNotContain("\"error\"");
            assertThat(fay.nextEvent("$room.left")).contains("\"reason\":\"kicked\"");
            assertThat(fay.request("$room.join", "j2", "{\"room\":\"salon\"}")).as("kicked: invited no more")
                    .contains("\"forbidden\"");
        }
    }

    @Test
    void aClientRecoversOnTheOtherNodeWhatItMissed() throws Exception {
        try (Wire gus = one.connect("gus")) {
            String joined = join(gus, "relay");
            String epoch = joined.replaceAll(".*\"epoch\":\"([^\"]+)\".*", "$1");
            long since;
            try (Wire hal = two.connect("hal")) {
                join(hal, "relay");
                gus.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"relay\",\"text\":\"seen\"}}");
                since = offset(hal.nextEvent("chat.message"));
            }
            for (int i = 0; i < 3; i++) {
                gus.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"relay\",\"text\":\"missed " + i + "\"}}");
                gus.nextEvent("chat.message");
            }
            try (Wire back = one.connect("hal")) {
                back.send("{\"event\":\"$room.join\",\"id\":\"r\",\"data\":{\"room\":\"relay\",\"since\":" + since
                        + ",\"epoch\":\"" + epoch + "\"}}");
                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    offsets.add(offset(back.nextEvent("chat.message")));
                }
                assertThat(offsets).containsExactly(since + 1, since + 2, since + 3);
                assertThat(back.next(frame -> frame.contains("\"replyTo\":\"r\""))).contains("\"recovered\":true");
            }
        }
    }

    @Test
    void theUsersOfAKilledNodeAreReportedLeftOnce() throws Exception {
        try (ChatNode three = ChatNode.start("node-three", cluster()); Wire ivy = one.connect("ivy");
             Wire jon = two.connect("jon")) {
            join(ivy, "wake");
            join(jon, "wake");
            try (Wire kim = three.connect("kim")) {
                join(kim, "wake");
                assertThat(ivy.nextEvent("$room.joined")).contains("\"user\":\"jon\"");
                assertThat(ivy.nextEvent("$room.joined")).contains("\"user\":\"kim\"");
                three.kill();
            }
            // MemberLeft is observed first (the sample pushes chat.left), then the $room.left notice follows.
            assertThat(ivy.nextEvent("chat.left")).contains("\"kim\"");
            assertThat(ivy.nextEvent("$room.left")).contains("\"user\":\"kim\"").contains("\"disconnected\"");
            assertThat(jon.nextEvent("$room.left")).contains("\"user\":\"kim\"");
            assertThat(ivy.request("$presence", "p", "{\"room\":\"wake\"}")).doesNotContain("\"kim\"")
                    .contains("\"jon\"");
            assertThat(ivy.poll(java.time.Duration.ofSeconds(3))).as("kim is reported left once").isNull();
        }
    }

    @Test
    void aNodeRestartedWithTheSameIdClearsWhatItsCrashLeft() throws Exception {
        try (Wire lea = one.connect("lea")) {
            join(lea, "reset");
            ChatNode four = ChatNode.start("node-four", Map.of("COVET_CLUSTER_REDIS_URI", redis.uri()));
            try (Wire max = four.connect("max")) {
                join(max, "reset");
                assertThat(lea.nextEvent("$room.joined")).contains("\"user\":\"max\"");
                four.kill();
            }
            try (ChatNode again = ChatNode.start("node-four", Map.of("COVET_CLUSTER_REDIS_URI", redis.uri()))) {
                assertThat(lea.nextEvent("$room.left")).contains("\"user\":\"max\"");
                assertThat(lea.request("$presence", "p", "{\"room\":\"reset\"}")).doesNotContain("\"max\"");
            } finally {
                four.close();
            }
        }
    }

    @Test
    void thePerUserConnectionLimitHoldsAcrossNodes() throws Exception {
        List<Wire> open = new ArrayList<>();
        try {
            open.add(one.connect("pat"));
            open.add(two.connect("pat"));
            open.add(one.connect("pat"));
            assertThat(two.get("/health").statusCode()).isEqualTo(200);
            String token = two.token("pat");
            assertThat(two.upgrade(token)).as("a fourth connection, on the node holding one").isEqualTo(429);
            open.remove(0).close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> open.add(two.connect("pat")));
        } finally {
            open.forEach(Wire::close);
        }
    }
}
