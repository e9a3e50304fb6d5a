package dev.covet.websocket.impl;

import static dev.covet.websocket.impl.Requests.field;
import static dev.covet.websocket.impl.Requests.nextEvent;
import static dev.covet.websocket.impl.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomDeleted;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;

/**
 * Room governance over real sockets: the permission table (every role × every action), bans across connections,
 * invitations that expire, temporary rooms, presence after abrupt disconnects, recovery with offsets, and
 * concurrent joins, leaves and broadcasts.
 */
class RoomGovernanceTest {

    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static TestServer server;
    private static Rooms rooms;

    @BeforeAll
    static void start() throws Exception {
        Class<?>[] beans = Stream.concat(Stream.of(TestHandlers.ALL), Stream.of(Deletions.class))
                .toArray(Class<?>[]::new);
        server = TestServer.start(Map.of("covet.heartbeat.interval", "100ms", "covet.heartbeat.timeout", "2s",
                "covet.rooms.temporary-grace", "300ms", "covet.connections.max-per-user", "50",
                "covet.rate.messages-per-second", "1000", "covet.trusted-proxies", "127.0.0.1"), beans);
        rooms = server.bean(Rooms.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Records deleted rooms. */
    @ApplicationScoped
    static class Deletions {
        private final List<String> deleted = new CopyOnWriteArrayList<>();

        void deleted(@Observes RoomDeleted event) {
            deleted.add(event.room());
        }

        List<String> deleted() {
            return deleted;
        }
    }

    /**
     * The documented permission table, written out literally: role × action → allowed. The target of kick, ban,
     * unban, mute, unmute and role changes is a guest; a role change grants guest → member.
     */
    static Stream<Arguments> permissionTable() {
        String[] actions = {"post", "invite", "kick", "ban", "unban", "mute", "unmute", "role", "delete"};
        Map<RoomRole, String> allowed = Map.of(
                RoomRole.OWNER, "post invite kick ban unban mute unmute role delete",
                RoomRole.ADMIN, "post invite kick ban unban mute unmute role",
                RoomRole.MODERATOR, "post invite kick ban unban mute unmute",
                RoomRole.MEMBER, "post",
                RoomRole.GUEST, "");
        List<Arguments> cases = new ArrayList<>();
        for (RoomRole role : RoomRole.values()) {
            for (String action : actions) {
                cases.add(Arguments.of(role, action, List.of(allowed.get(role).split(" ")).contains(action)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("permissionTable")
    void permissionTable(RoomRole role, String action, boolean allowed) throws Exception {
        String room = "p" + ROOMS.incrementAndGet();
        String actorName = "actor-" + room;
        String target = "target-" + room;
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "boss-" + room);
        rooms.role(room, actorName, role);
        rooms.role(room, target, RoomRole.GUEST);
        try (WireClient actor = WireClient.withToken(server.uri(), actorName);
             WireClient victim = WireClient.withToken(server.uri(), target)) {
            assertThat(request(actor, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"replyTo\"");
            assertThat(request(victim, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"replyTo\"");
            if (action.equals("unban") || action.equals("unmute")) {
                // Set by a moderator, whom owner, admin and moderator may overrule (a ban the server set, they may not).
                rooms.role(room, "mod-" + room, RoomRole.MODERATOR);
                try (WireClient moderator = WireClient.withToken(server.uri(), "mod-" + room)) {
                    request(moderator, "$room.join", "{\"room\":\"" + room + "\"}");
                    assertThat(request(moderator, "$room." + action.substring(2), "{\"room\":\"" + room
                            + "\",\"user\":\"" + (action.equals("unban") ? "someone-" + room : target) + "\"}"))
                            .doesNotContain("\"error\"");
                }
            }
            String data = switch (action) {
                case "post" -> "{\"text\":\"hi\",\"tag\":\"" + room + "\"}";
                case "unban" -> "{\"room\":\"" + room + "\",\"user\":\"someone-" + room + "\"}";
                case "role" -> "{\"room\":\"" + room + "\",\"user\":\"" + target + "\",\"role\":\"member\"}";
                case "delete" -> "{\"room\":\"" + room + "\"}";
                default -> "{\"room\":\"" + room + "\",\"user\":\"" + target + "\"}";
            };
            String event = action.equals("post") ? "room.post" : "$room." + action;
            String answer = request(actor, event, data);
            if (allowed) {
                assertThat(answer).as(answer).doesNotContain("\"event\":\"error\"");
            } else {
                assertThat(answer).as(answer).contains("\"code\":\"forbidden\"");
            }
        }
    }

    @Test
    void aBanRemovesEveryConnectionOfTheUserAndKeepsThemOut() throws Exception {
        String room = "ban-room";
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "owner-ban");
        try (WireClient owner = WireClient.withToken(server.uri(), "owner-ban");
             WireClient tab1 = WireClient.withToken(server.uri(), "eve");
             WireClient tab2 = WireClient.withToken(server.uri(), "eve")) {
            for (WireClient c : List.of(owner, tab1, tab2)) {
                request(c, "$room.join", "{\"room\":\"" + room + "\"}");
            }
            assertThat(request(owner, "$room.ban", "{\"room\":\"" + room + "\",\"user\":\"eve\",\"seconds\":60}"))
                    .contains("\"user\":\"eve\"");
            for (WireClient tab : List.of(tab1, tab2)) {
                assertThat(nextEvent(tab, "$room.left")).contains("\"reason\":\"banned\"");
            }
            assertThat(rooms.presence(room)).containsOnlyKeys("owner-ban");
            try (WireClient tab3 = WireClient.withToken(server.uri(), "eve")) {
                assertThat(request(tab3, "$room.join", "{\"room\":\"" + room + "\"}"))
                        .contains("\"code\":\"forbidden\"").contains("Banned");
            }
            assertThat(request(tab1, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"code\":\"forbidden\"");
            request(owner, "$room.unban", "{\"room\":\"" + room + "\",\"user\":\"eve\"}");
            assertThat(request(tab1, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"role\":\"member\"");
        }
    }

    @Test
    void anIpBanRemovesEveryConnectionFromTheAddressWhateverTheUser() throws Exception {
        String room = "ipban";
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "owner-ip");
        Map<String, String> fromBanned = Map.of("X-Forwarded-For", "198.51.100.9");
        try (WireClient owner = WireClient.withToken(server.uri(), "owner-ip");
             WireClient first = WireClient.connect(server.uri(), withToken(fromBanned, "ian"));
             WireClient second = WireClient.connect(server.uri(), withToken(fromBanned, "ivan"));
             WireClient elsewhere = WireClient.connect(server.uri(), withToken(Map.of("X-Forwarded-For",
                     "198.51.100.10"), "iris"))) {
            for (WireClient c : List.of(owner, first, second, elsewhere)) {
                request(c, "$room.join", "{\"room\":\"" + room + "\"}");
            }
            assertThat(request(owner, "$room.ban", "{\"room\":\"" + room + "\",\"ip\":\"198.51.100.9\"}"))
                    .contains("\"ip\":\"198.51.100.9\"");
            assertThat(nextEvent(first, "$room.left")).contains("\"reason\":\"banned\"");
            assertThat(nextEvent(second, "$room.left")).contains("\"reason\":\"banned\"");
            assertThat(rooms.presence(room)).containsOnlyKeys("owner-ip", "iris");
            try (WireClient again = WireClient.connect(server.uri(), withToken(fromBanned, "ines"))) {
                assertThat(request(again, "$room.join", "{\"room\":\"" + room + "\"}"))
                        .contains("\"code\":\"forbidden\"");
            }
        }
    }

    private static Map<String, String> withToken(Map<String, String> headers, String user) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", "Bearer " + Tokens.valid(user));
        return all;
    }

    @Test
    void anInvitationExpiresAndIsUsedUpByJoining() throws Exception {
        String room = "club";
        rooms.create(room, RoomConfig.of(RoomType.INVITE_ONLY, 100, 10), "host");
        try (WireClient host = WireClient.withToken(server.uri(), "host");
             WireClient guest = WireClient.withToken(server.uri(), "ivy")) {
            request(host, "$room.join", "{\"room\":\"" + room + "\"}");
            assertThat(request(guest, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"code\":\"forbidden\"");
            request(host, "$room.invite", "{\"room\":\"" + room + "\",\"user\":\"ivy\",\"seconds\":1}");
            assertThat(nextEvent(guest, "$room.invited")).contains("\"room\":\"club\"");
            TimeSource time = server.bean(TimeSource.class);
            time.use(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2)), System::nanoTime);
            try {
                assertThat(request(guest, "$room.join", "{\"room\":\"" + room + "\"}"))
                        .as("two seconds later").contains("\"code\":\"forbidden\"").contains("expired");
            } finally {
                time.use(Clock.systemUTC(), System::nanoTime);
            }
            request(host, "$room.invite", "{\"room\":\"" + room + "\",\"user\":\"ivy\",\"seconds\":60}");
            assertThat(request(guest, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"role\":\"member\"");
        }
    }

    @Test
    void aKickTakesBackTheAdmissionToAPrivateOrInviteOnlyRoomButNotToAPublicOne() throws Exception {
        String suffix = "-" + ROOMS.incrementAndGet();
        String roster = "roster" + suffix;
        String club = "club" + suffix;
        String square = "square" + suffix;
        rooms.create(roster, RoomConfig.of(RoomType.PRIVATE, 100, 10), "host" + suffix);
        rooms.create(club, RoomConfig.of(RoomType.INVITE_ONLY, 100, 10), "host" + suffix);
        rooms.create(square, RoomConfig.of(RoomType.PUBLIC, 100, 10), "host" + suffix);
        try (WireClient host = WireClient.withToken(server.uri(), "host" + suffix);
             WireClient guest = WireClient.withToken(server.uri(), "ivy" + suffix)) {
            String rosterSeen = null;
            for (String room : List.of(roster, club, square)) {
                request(host, "$room.join", join(room));
                if (!room.equals(square)) {
                    request(host, "$room.invite", user(room, "ivy" + suffix));
                }
                assertThat(request(guest, "$room.join", join(room))).as(room).contains("\"role\":\"member\"");
                request(guest, "$room.leave", join(room));
                String back = request(guest, "$room.join", join(room));
                assertThat(back).as("%s: back after leaving", room).contains("\"role\":\"member\"");
                if (room.equals(roster)) {
                    rosterSeen = "\"since\":" + field(back, "offset") + ",\"epoch\":\"" + field(back, "epoch") + "\"";
                }
                assertThat(request(host, "$room.kick", user(room, "ivy" + suffix))).doesNotContain("\"error\"");
                assertThat(nextEvent(guest, "$room.left")).contains("\"reason\":\"kicked\"");
            }
            assertThat(request(guest, "$room.join", join(roster))).as("private, after a kick")
                    .contains("\"code\":\"forbidden\"").contains("is private");
            assertThat(request(guest, "$room.join", join(club))).as("invite-only, after a kick")
                    .contains("\"code\":\"forbidden\"").contains("needs an invitation");
            assertThat(request(guest, "$room.join", join(square))).as("public, after a kick")
                    .contains("\"role\":\"member\"");

            rooms.role(roster, "ivy" + suffix, RoomRole.ADMIN);
            assertThat(request(host, "$room.kick", user(roster, "ivy" + suffix))).as("an absent but admitted user")
                    .doesNotContain("\"error\"");
            request(host, "$room.invite", user(club, "ivy" + suffix));
            assertThat(request(host, "$room.kick", user(club, "ivy" + suffix))).as("a pending invitation")
                    .doesNotContain("\"error\"");
            assertThat(request(host, "$room.kick", user(club, "ivy" + suffix))).as("nothing left to take back")
                    .contains("\"code\":\"not_found\"");
            assertThat(request(guest, "$room.join", join(club))).contains("\"code\":\"forbidden\"");
            rooms.broadcast(roster, "chat", "while-out");
            request(host, "$room.invite", user(roster, "ivy" + suffix));
            String again = request(guest, "$room.join", "{\"room\":\"" + roster + "\"," + rosterSeen + "}");
            assertThat(again).as("invited again: a member, not the old admin").contains("\"role\":\"member\"");
            assertThat(again).as("recovery never crosses the time out of the room").contains("\"recovered\":false")
                    .doesNotContain("while-out");
            assertThat(request(guest, "$history", join(roster))).doesNotContain("while-out");
        }
    }

    @Test
    void aTemporaryRoomIsDeletedAfterItsGracePeriod() throws Exception {
        try (WireClient creator = WireClient.withToken(server.uri(), "tempo")) {
            assertThat(request(creator, "$room.create", "{\"room\":\"pop-up\",\"type\":\"temporary\"}"))
                    .contains("\"role\":\"owner\"");
            request(creator, "$room.leave", "{\"room\":\"pop-up\"}");
            assertThat(rooms.info("pop-up")).as("still there during the grace period").isPresent();
            await().atMost(Duration.ofSeconds(5)).until(() -> rooms.info("pop-up").isEmpty());
            assertThat(server.bean(Deletions.class).deleted()).contains("pop-up");
        }
    }

    @Test
    void presenceCountsUsersOnceAndForgetsAbruptlyClosedOnes() throws Exception {
        String room = "presence-room";
        try (WireClient a1 = WireClient.withToken(server.uri(), "anna");
             WireClient a2 = WireClient.withToken(server.uri(), "anna");
             RawClient bob = RawClient.open(server.uri(), Tokens.valid("bob"), 65536)) {
            request(a1, "$room.join", "{\"room\":\"" + room + "\"}");
            request(a2, "$room.join", "{\"room\":\"" + room + "\"}");
            bob.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"" + room + "\"}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> rooms.presence(room).size() == 2);
            assertThat(request(a1, "$presence", "{\"room\":\"" + room + "\"}"))
                    .contains("{\"role\":\"member\",\"user\":\"anna\"}")
                    .contains("{\"role\":\"member\",\"user\":\"bob\"}");
            bob.close();
            assertThat(nextEvent(a1, "$room.left")).contains("\"user\":\"bob\"").contains("\"reason\":\"disconnected\"");
            assertThat(rooms.presence(room)).containsOnlyKeys("anna");
            a2.close();
            assertThat(rooms.presence(room)).as("anna still has a tab open").containsOnlyKeys("anna");
        }
    }

    @Test
    void recoveryDeliversExactlyTheMissedMessagesOrSaysItCannot() throws Exception {
        String room = "recover";
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 5), null);
        String epoch;
        long last;
        try (WireClient first = WireClient.withToken(server.uri(), "rita")) {
            String joined = request(first, "$room.join", "{\"room\":\"" + room + "\"}");
            epoch = field(joined, "epoch");
            rooms.broadcast(room, "m", "one");
            last = Long.parseLong(field(nextEvent(first, "m"), "offset"));
        }
        rooms.broadcast(room, "m", "two");
        rooms.broadcast(room, "m", "three");
        try (WireClient back = WireClient.withToken(server.uri(), "rita")) {
            back.send("{\"event\":\"$room.join\",\"id\":\"rejoin\",\"data\":{\"room\":\"" + room + "\",\"since\":"
                    + last + ",\"epoch\":\"" + epoch + "\"}}");
            assertThat(back.next()).contains("\"offset\":" + (last + 1)).contains("\"data\":\"two\"");
            assertThat(back.next()).contains("\"offset\":" + (last + 2)).contains("\"data\":\"three\"");
            assertThat(back.next()).contains("\"replyTo\":\"rejoin\"").contains("\"recovered\":true");
            rooms.broadcast(room, "m", "four");
            assertThat(back.next()).contains("\"offset\":" + (last + 3)).contains("\"data\":\"four\"");
            back.assertNothingQueued();
            String history = request(back, "$history", "{\"room\":\"" + room + "\",\"since\":" + last
                    + ",\"epoch\":\"" + epoch + "\"}");
            assertThat(history).contains("\"recovered\":true").contains("\"two\"").contains("\"three\"")
                    .contains("\"four\"").doesNotContain("\"one\"");
        }
        for (int i = 0; i < 10; i++) {
            rooms.broadcast(room, "m", "burst-" + i);
        }
        try (WireClient late = WireClient.withToken(server.uri(), "rita")) {
            assertThat(request(late, "$room.join", "{\"room\":\"" + room + "\",\"since\":" + last
                    + ",\"epoch\":\"" + epoch + "\"}")).contains("\"recovered\":false");
            late.assertNothingQueued();
            request(late, "$room.leave", "{\"room\":\"" + room + "\"}");
            assertThat(request(late, "$room.join", "{\"room\":\"" + room + "\",\"since\":1,\"epoch\":\"other\"}"))
                    .as("another epoch").contains("\"recovered\":false");
        }
    }

    @Test
    void concurrentJoinsLeavesAndBroadcastsLoseAndDuplicateNothing() throws Exception {
        String room = "storm";
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 1000, 0), null);
        int senders = 4;
        int perSender = 250;
        try (WireClient steady = WireClient.withToken(server.uri(), "steady")) {
            request(steady, "$room.join", "{\"room\":\"" + room + "\"}");
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perSender; i++) {
                        rooms.broadcast(room, "n", sender + ":" + i);
                    }
                }));
            }
            for (int t = 0; t < 3; t++) {
                int churner = t;
                threads.add(new Thread(() -> {
                    try (WireClient c = WireClient.withToken(server.uri(), "churn" + churner)) {
                        for (int i = 0; i < 20; i++) {
                            c.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"" + room + "\"}}");
                            c.send("{\"event\":\"$room.leave\",\"data\":{\"room\":\"" + room + "\"}}");
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
            List<Long> offsets = new ArrayList<>();
            while (offsets.size() < senders * perSender) {
                String frame = steady.next();
                if (frame.startsWith("{\"event\":\"n\"")) {
                    offsets.add(Long.parseLong(field(frame, "offset")));
                }
            }
            assertThat(offsets).as("every broadcast once, in offset order").isSorted().doesNotHaveDuplicates()
                    .hasSize(senders * perSender);
            assertThat(offsets.get(offsets.size() - 1) - offsets.get(0)).isEqualTo(senders * perSender - 1);
        }
    }

    private static String join(String room) {
        return "{\"room\":\"" + room + "\"}";
    }

    private static String user(String room, String user) {
        return "{\"room\":\"" + room + "\",\"user\":\"" + user + "\"}";
    }
}
