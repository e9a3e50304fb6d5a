package dev.covet.websocket.impl;

import static dev.covet.websocket.impl.Requests.field;
import static dev.covet.websocket.impl.Requests.nextEvent;
import static dev.covet.websocket.impl.Requests.request;
import static dev.covet.websocket.impl.Requests.untilReplyTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.Connections;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;

/**
 * What a security review found over the wire in room governance, history and connection closing, each as the
 * class of behaviour it broke: authority of banned or absent moderators, address bans against higher roles, frames
 * after a close, bans racing joins, history that leaked ephemeral or banned-period messages, and close reasons.
 */
class HardeningTest {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static TestServer server;
    private static Rooms rooms;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.connections.max-per-user", "50", "covet.rate.messages-per-second",
                "1000", "covet.trusted-proxies", "127.0.0.1", "covet.heartbeat.interval", "200ms"),
                TestHandlers.ALL);
        rooms = server.bean(Rooms.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBannedModeratorCanNeitherLiftTheBanNorRejoinNorModerate() throws Exception {
        String room = "gov-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "boss-" + room);
        rooms.role(room, "mod-" + room, RoomRole.MODERATOR);
        try (WireClient boss = WireClient.withToken(server.uri(), "boss-" + room);
             WireClient mod = WireClient.withToken(server.uri(), "mod-" + room);
             WireClient victim = WireClient.withToken(server.uri(), "victim-" + room)) {
            for (WireClient c : List.of(boss, mod, victim)) {
                assertThat(request(c, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"role\"");
            }
            assertThat(request(boss, "$room.ban", user(room, "mod-" + room))).doesNotContain("\"error\"");
            assertThat(request(mod, "$room.unban", user(room, "mod-" + room))).contains("\"code\":\"forbidden\"");
            assertThat(request(mod, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"code\":\"forbidden\"");
            for (String action : List.of("kick", "mute", "ban", "invite")) {
                assertThat(request(mod, "$room." + action, user(room, "victim-" + room))).as(action)
                        .contains("\"code\":\"forbidden\"");
            }
            assertThat(rooms.presence(room)).containsOnlyKeys("boss-" + room, "victim-" + room);
            assertThat(rooms.mayPost(victim.connection(server), room)).as("the mute did not happen").isTrue();
        }
    }

    @Test
    void moderationNeedsPresenceAndNobodyLiftsABanSetByAHigherRole() throws Exception {
        String room = "gov-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "boss-" + room);
        rooms.role(room, "admin-" + room, RoomRole.ADMIN);
        rooms.role(room, "mod-" + room, RoomRole.MODERATOR);
        try (WireClient admin = WireClient.withToken(server.uri(), "admin-" + room);
             WireClient mod = WireClient.withToken(server.uri(), "mod-" + room);
             WireClient member = WireClient.withToken(server.uri(), "member-" + room)) {
            request(member, "$room.join", "{\"room\":\"" + room + "\"}");
            assertThat(request(mod, "$room.kick", user(room, "member-" + room))).as("absent moderator")
                    .contains("\"code\":\"forbidden\"").contains("join it first");
            request(admin, "$room.join", "{\"room\":\"" + room + "\"}");
            request(mod, "$room.join", "{\"room\":\"" + room + "\"}");
            assertThat(request(admin, "$room.ban", user(room, "member-" + room))).doesNotContain("\"error\"");
            assertThat(request(mod, "$room.unban", user(room, "member-" + room)))
                    .contains("\"code\":\"forbidden\"").contains("set by an admin");
            assertThat(request(mod, "$room.ban", user(room, "other-" + room))).doesNotContain("\"error\"");
            assertThat(request(admin, "$room.unban", user(room, "other-" + room))).as("an admin overrules a moderator")
                    .doesNotContain("\"error\"");
            assertThat(request(mod, "$room.mute", user(room, "member2-" + room))).doesNotContain("\"error\"");
            assertThat(request(admin, "$room.unmute", user(room, "member2-" + room))).doesNotContain("\"error\"");
        }
    }

    @Test
    void moderationCommandsNameOnlyWhatCouldBeAUser() throws Exception {
        String room = "names-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.INVITE_ONLY, 100, 10), "owner-" + room);
        try (WireClient owner = WireClient.withToken(server.uri(), "owner-" + room)) {
            request(owner, "$room.join", "{\"room\":\"" + room + "\"}");
            for (String action : List.of("invite", "kick", "ban", "unban", "mute", "unmute", "role")) {
                for (String name : List.of("~c0ffee", "line\\nforged", "nul\\u0000", "x".repeat(257))) {
                    String data = "{\"room\":\"" + room + "\",\"user\":\"" + name + "\""
                            + (action.equals("role") ? ",\"role\":\"admin\"" : "") + "}";
                    assertThat(request(owner, "$room." + action, data)).as("%s %s", action, name)
                            .contains("\"code\":\"validation_failed\"").contains("\"path\":\"user\"");
                }
            }
            assertThat(request(owner, "$room.invite", user(room, "x".repeat(256)))).doesNotContain("\"error\"");
        }
    }

    @Test
    void anAddressBanSparesTheUsersItsSetterDoesNotOutrank() throws Exception {
        String room = "ipgov-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "owner-" + room);
        rooms.role(room, "mod-" + room, RoomRole.MODERATOR);
        Map<String, String> office = Map.of("X-Forwarded-For", "198.51.100.77");
        try (WireClient owner = WireClient.connect(server.uri(), withToken(office, "owner-" + room));
             WireClient colleague = WireClient.connect(server.uri(), withToken(office, "colleague-" + room));
             WireClient mod = WireClient.withToken(server.uri(), "mod-" + room)) {
            for (WireClient c : List.of(owner, colleague, mod)) {
                request(c, "$room.join", "{\"room\":\"" + room + "\"}");
            }
            assertThat(request(mod, "$room.ban", "{\"room\":\"" + room + "\",\"ip\":\"198.51.100.77\"}"))
                    .doesNotContain("\"error\"");
            assertThat(nextEvent(colleague, "$room.left")).contains("\"reason\":\"banned\"");
            assertThat(rooms.presence(room)).containsOnlyKeys("owner-" + room, "mod-" + room);
            try (WireClient ownerAgain = WireClient.connect(server.uri(), withToken(office, "owner-" + room));
                 WireClient newcomer = WireClient.connect(server.uri(), withToken(office, "new-" + room))) {
                assertThat(request(ownerAgain, "$room.join", "{\"room\":\"" + room + "\"}")).contains("\"owner\"");
                assertThat(request(newcomer, "$room.join", "{\"room\":\"" + room + "\"}"))
                        .contains("\"code\":\"forbidden\"");
            }
        }
    }

    @Test
    void aClosingConnectionLeavesItsRoomsAtOnceAndNothingItStillSendsIsRouted() throws Exception {
        String room = "closing-" + IDS.incrementAndGet();
        try (RawClient raw = RawClient.open(server.uri(), Tokens.valid("zed-" + room), 65536)) {
            raw.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"" + room + "\"}}");
            assertThat(raw.readText()).contains("\"replyTo\":\"j\"");
            server.bean(Connections.class).disconnect("zed-" + room, "revoked");
            assertThat(rooms.presence(room)).as("left when the close was decided").doesNotContainKey("zed-" + room);
            try {
                for (int i = 0; i < 5; i++) {
                    raw.send("{\"event\":\"$room.create\",\"data\":{\"room\":\"ghost-" + room + "-" + i + "\"}}");
                    raw.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"" + room + "\"}}");
                }
            } catch (java.io.IOException e) {
                // The container may drop the socket right after its close frame; what did arrive is what counts.
            }
            assertThat(raw.closeCode()).isEqualTo(4003);
        }
        Connections connections = server.bean(Connections.class);
        await("the server processed every frame and the close").atMost(Duration.ofSeconds(20))
                .until(() -> connections.byUser("zed-" + room).isEmpty());
        for (int i = 0; i < 5; i++) {
            assertThat(rooms.info("ghost-" + room + "-" + i)).isEmpty();
        }
        assertThat(rooms.presence(room)).isEmpty();
    }

    @Test
    void aBanWinsAgainstJoinsRacingIt() throws Exception {
        for (int round = 0; round < 5; round++) {
            String room = "race-" + IDS.incrementAndGet();
            rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 10), "owner-" + room);
            List<WireClient> tabs = new ArrayList<>();
            try (WireClient owner = WireClient.withToken(server.uri(), "owner-" + room)) {
                request(owner, "$room.join", "{\"room\":\"" + room + "\"}");
                for (int t = 0; t < 6; t++) {
                    tabs.add(WireClient.withToken(server.uri(), "eve-" + room));
                }
                for (WireClient tab : tabs) {
                    tab.send("{\"event\":\"$room.join\",\"id\":\"join\",\"data\":{\"room\":\"" + room + "\"}}");
                }
                assertThat(request(owner, "$room.ban", user(room, "eve-" + room))).doesNotContain("\"error\"");
                for (WireClient tab : tabs) {
                    String reply = untilReplyTo(tab, "join");
                    if (!reply.contains("\"code\":\"forbidden\"")) {
                        assertThat(nextEvent(tab, "$room.left")).as("joined before the ban, then removed")
                                .contains("\"reason\":\"banned\"");
                    }
                }
                assertThat(rooms.presence(room)).containsOnlyKeys("owner-" + room);
                rooms.broadcast(room, "after", "ban");
                for (WireClient tab : tabs) {
                    tab.assertNothingQueued();
                }
            } finally {
                tabs.forEach(WireClient::close);
            }
        }
    }

    @Test
    void historyHoldsDurableMessagesOnlyAndNeverAcrossABan() throws Exception {
        String room = "hist-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 3), "owner-" + room);
        String epoch;
        long seen;
        try (WireClient owner = WireClient.withToken(server.uri(), "owner-" + room);
             WireClient bob = WireClient.withToken(server.uri(), "bob-" + room)) {
            request(owner, "$room.join", "{\"room\":\"" + room + "\"}");
            epoch = field(request(bob, "$room.join", "{\"room\":\"" + room + "\"}"), "epoch");
            rooms.broadcast(room, "chat", "durable-1");
            seen = Long.parseLong(field(nextEvent(bob, "chat"), "offset"));
            for (int i = 0; i < 5; i++) {
                rooms.pushExcept(room, "typing", "secret-" + i, bob.connection(server));
                rooms.pushExceptUsers(room, "typing", "secret-users-" + i, java.util.Set.of("bob-" + room));
            }
            String history = request(bob, "$history", "{\"room\":\"" + room + "\"}");
            assertThat(history).contains("durable-1").doesNotContain("secret").contains("\"recovered\":true");
            assertThat(request(owner, "$room.ban", user(room, "bob-" + room))).doesNotContain("\"error\"");
            rooms.broadcast(room, "chat", "while-banned");
            assertThat(request(owner, "$room.unban", user(room, "bob-" + room))).doesNotContain("\"error\"");
            String rejoin = request(bob, "$room.join", "{\"room\":\"" + room + "\",\"since\":" + seen
                    + ",\"epoch\":\"" + epoch + "\"}");
            assertThat(rejoin).contains("\"recovered\":false");
            assertThat(request(bob, "$history", "{\"room\":\"" + room + "\",\"since\":" + seen + "}"))
                    .contains("\"recovered\":false").doesNotContain("while-banned");
            long back = Long.parseLong(field(rejoin, "offset"));
            rooms.broadcast(room, "chat", "after-return");
            assertThat(request(bob, "$history", "{\"room\":\"" + room + "\",\"since\":" + back + "}"))
                    .contains("\"recovered\":true").contains("after-return").doesNotContain("while-banned");
        }
    }

    @Test
    void historyWithoutSinceAnswersWhatIsKeptEvenWhenOlderMessagesAreGone() throws Exception {
        String room = "kept-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 3), "owner-" + room);
        for (int i = 1; i <= 5; i++) {
            rooms.broadcast(room, "chat", "m" + i);
        }
        try (WireClient owner = WireClient.withToken(server.uri(), "owner-" + room);
             WireClient bob = WireClient.withToken(server.uri(), "bob-" + room)) {
            request(owner, "$room.join", "{\"room\":\"" + room + "\"}");
            String epoch = field(request(bob, "$room.join", "{\"room\":\"" + room + "\"}"), "epoch");
            assertThat(offsets(request(bob, "$history", "{\"room\":\"" + room + "\"}"))).as("the three kept")
                    .containsExactly(3L, 4L, 5L);
            assertThat(request(bob, "$history", "{\"room\":\"" + room + "\"}")).contains("\"recovered\":false");
            String firstPage = request(bob, "$history", "{\"room\":\"" + room + "\",\"limit\":2}");
            assertThat(offsets(firstPage)).containsExactly(3L, 4L);
            assertThat(firstPage).contains("\"more\":true");
            String secondPage = request(bob, "$history", "{\"room\":\"" + room + "\",\"since\":4,\"epoch\":\""
                    + epoch + "\"}");
            assertThat(offsets(secondPage)).containsExactly(5L);
            assertThat(secondPage).contains("\"recovered\":true").contains("\"more\":false");
            String tooFarBack = request(bob, "$history", "{\"room\":\"" + room + "\",\"since\":1,\"epoch\":\""
                    + epoch + "\"}");
            assertThat(tooFarBack).as("with since: all or nothing").contains("\"recovered\":false")
                    .contains("\"messages\":[]");

            assertThat(request(owner, "$room.ban", user(room, "bob-" + room))).doesNotContain("\"error\"");
            rooms.broadcast(room, "chat", "while-banned");
            assertThat(request(owner, "$room.unban", user(room, "bob-" + room))).doesNotContain("\"error\"");
            request(bob, "$room.join", "{\"room\":\"" + room + "\"}");
            rooms.broadcast(room, "chat", "after-return");
            String returned = request(bob, "$history", "{\"room\":\"" + room + "\"}");
            assertThat(offsets(returned)).as("from the return on").containsExactly(7L);
            assertThat(returned).contains("after-return").doesNotContain("while-banned")
                    .contains("\"recovered\":true");
        }
    }

    private static List<Long> offsets(String page) {
        List<Long> offsets = new ArrayList<>();
        Matcher m = Pattern.compile("\"offset\":(\\d+),\"data\"").matcher(page);
        while (m.find()) {
            offsets.add(Long.parseLong(m.group(1)));
        }
        return offsets;
    }

    @Test
    void historyIsPagedWithinTheOutboundBoundInsteadOfClosingTheReader() throws Exception {
        String room = "pages-" + IDS.incrementAndGet();
        rooms.create(room, RoomConfig.of(RoomType.PUBLIC, 100, 2000), null);
        String text = "x".repeat(3000);
        for (int i = 0; i < 2000; i++) {
            rooms.broadcast(room, "big", text + i);
        }
        try (WireClient reader = WireClient.withToken(server.uri(), "reader-" + room)) {
            request(reader, "$room.join", "{\"room\":\"" + room + "\"}");
            long since = 0;
            int received = 0;
            while (true) {
                String page = request(reader, "$history", "{\"room\":\"" + room + "\",\"since\":" + since
                        + ",\"limit\":1000}");
                assertThat(page.length()).as("one page within covet.outbound.max-bytes").isLessThanOrEqualTo(4194304);
                Matcher offsets = Pattern.compile("\"offset\":(\\d+),\"data\"").matcher(page);
                while (offsets.find()) {
                    assertThat(Long.parseLong(offsets.group(1))).isEqualTo(since + 1);
                    since++;
                    received++;
                }
                if (page.contains("\"more\":false")) {
                    break;
                }
                assertThat(page).contains("\"more\":true");
            }
            assertThat(received).isEqualTo(2000);
            assertThat(reader.isClosed()).isFalse();
        }
    }

    @Test
    void closeReasonsAreCutAtACodePointAndEveryConnectionOfTheUserIsClosed() throws Exception {
        String user = "cut-" + IDS.incrementAndGet();
        String reason = "a" + "é".repeat(100) + "🙂".repeat(10);
        try (WireClient first = WireClient.withToken(server.uri(), user);
             WireClient second = WireClient.withToken(server.uri(), user)) {
            request(first, "ping", "null");
            request(second, "ping", "null");
            assertThat(server.bean(Connections.class).disconnect(user, reason)).isEqualTo(2);
            for (WireClient c : List.of(first, second)) {
                assertThat(c.closeCode()).isEqualTo(4003);
                assertThat(c.closeReason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
                assertThat(c.closeReason()).startsWith("aé").endsWith("...").doesNotContain("\uFFFD");
            }
        }
    }

    @Test
    void roomCreationIsBoundedPerOwnerInMetadataAndHistory() throws Exception {
        String owner = "maker-" + IDS.incrementAndGet();
        try (WireClient client = WireClient.withToken(server.uri(), owner)) {
            assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-big\",\"historySize\":1001}"))
                    .contains("\"code\":\"validation_failed\"").contains("\"path\":\"historySize\"");
            String metadata = "{\"k\":\"" + "m".repeat(2048) + "\"}";
            assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-meta\",\"metadata\":" + metadata
                    + "}")).contains("\"code\":\"validation_failed\"").contains("\"path\":\"metadata\"");
            StringBuilder many = new StringBuilder("{");
            for (int i = 0; i < 33; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-many\",\"metadata\":" + many
                    + "}}")).contains("\"code\":\"validation_failed\"").contains("\"path\":\"metadata\"");
            for (int i = 0; i < 10; i++) {
                assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-" + i + "\"}"))
                        .contains("\"role\":\"owner\"");
            }
            assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-10\"}"))
                    .contains("\"code\":\"conflict\"").contains("Owns too many rooms");
            assertThat(rooms.info(owner + "-10")).isEmpty();
            request(client, "$room.delete", "{\"room\":\"" + owner + "-0\"}");
            assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-10\"}"))
                    .as("deleting one frees a place").contains("\"role\":\"owner\"");
        }
    }

    @Test
    void createCountsAgainstThePerConnectionRoomCapBeforeCreating() throws Exception {
        String owner = "capped-" + IDS.incrementAndGet();
        try (WireClient client = WireClient.withToken(server.uri(), owner)) {
            for (int i = 0; i < 100; i++) {
                client.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"" + owner + "-j" + i + "\"}}");
            }
            assertThat(request(client, "$room.create", "{\"room\":\"" + owner + "-new\"}"))
                    .contains("\"code\":\"conflict\"").contains("too many rooms");
            assertThat(rooms.info(owner + "-new")).as("nothing created").isEmpty();
        }
    }

    @Test
    void roomListShowsOnlyJoinableRoomsInNameOrderPageByPage() throws Exception {
        String prefix = "zz-list-" + IDS.incrementAndGet() + "-";
        for (String name : List.of("c", "a", "b", "d")) {
            rooms.create(prefix + name, RoomConfig.of(RoomType.PUBLIC, 100, 10), null);
        }
        rooms.create(prefix + "hidden-private", RoomConfig.of(RoomType.PRIVATE, 100, 10), null);
        rooms.create(prefix + "hidden-invite", RoomConfig.of(RoomType.INVITE_ONLY, 100, 10), null);
        try (WireClient client = WireClient.withToken(server.uri(), "lister")) {
            String first = request(client, "$room.list", "{\"limit\":2,\"after\":\"" + prefix + "\"}");
            assertThat(first).contains("\"more\":true");
            assertThat(roomsIn(first)).containsExactly(prefix + "a", prefix + "b");
            String second = request(client, "$room.list", "{\"limit\":2,\"after\":\"" + prefix + "b\"}");
            assertThat(roomsIn(second)).containsExactly(prefix + "c", prefix + "d");
            String rest = request(client, "$room.list", "{\"limit\":100,\"after\":\"" + prefix + "d\"}");
            assertThat(roomsIn(rest)).noneMatch(name -> name.startsWith(prefix));
            assertThat(request(client, "$room.list", "{\"limit\":101}")).contains("\"path\":\"limit\"");
            assertThat(request(client, "$room.list", "{\"after\":7}")).contains("\"path\":\"after\"");
            // Every field is optional, so data may be left out (or null); anything but an object is still refused.
            client.send("{\"event\":\"$room.list\",\"id\":\"bare\"}");
            assertThat(untilReplyTo(client, "bare")).startsWith("{\"event\":\"$room.list\"").contains("\"rooms\":[");
            assertThat(request(client, "$room.list", "null")).startsWith("{\"event\":\"$room.list\"")
                    .contains("\"rooms\":[");
            assertThat(request(client, "$room.list", "[1]")).contains("\"code\":\"bad_request\"")
                    .contains("limit");
        }
    }

    private static List<String> roomsIn(String listing) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"room\":\"([^\"]+)\"").matcher(listing);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String user(String room, String user) {
        return "{\"room\":\"" + room + "\",\"user\":\"" + user + "\"}";
    }

    private static Map<String, String> withToken(Map<String, String> headers, String user) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", "Bearer " + Tokens.valid(user));
        return all;
    }
}
