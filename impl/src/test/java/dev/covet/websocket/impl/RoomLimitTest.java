package dev.covet.websocket.impl;

import static dev.covet.websocket.impl.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.Rooms;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;

/**
 * However rooms are made (created, auto-created by joining), a server keeps at most {@code covet.rooms.max}; and
 * whatever clients' moderation commands name, a room keeps at most {@code covet.rooms.max-entries} of each kind.
 */
class RoomLimitTest {

    @Test
    void neitherCreatingNorJoiningUnknownRoomsGoesPastTheServersRoomLimit() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.rooms.max", "3", "covet.rooms.temporary-grace", "1h"),
                TestHandlers.ALL);
             WireClient client = WireClient.withToken(server.uri(), "builder")) {
            assertThat(request(client, "$room.create", "{\"room\":\"made-1\"}")).contains("\"role\":\"owner\"");
            assertThat(request(client, "$room.join", "{\"room\":\"auto-1\"}")).contains("\"role\":\"member\"");
            assertThat(request(client, "$room.join", "{\"room\":\"auto-2\"}")).contains("\"role\":\"member\"");
            assertThat(request(client, "$room.create", "{\"room\":\"made-2\"}")).contains("\"code\":\"conflict\"")
                    .contains("Too many rooms on this server");
            assertThat(request(client, "$room.join", "{\"room\":\"auto-3\"}")).contains("\"code\":\"conflict\"")
                    .contains("Too many rooms on this server");
            Rooms rooms = server.bean(Rooms.class);
            assertThat(rooms.info("made-2")).isEmpty();
            assertThat(rooms.info("auto-3")).isEmpty();
            assertThat(request(client, "$room.join", "{\"room\":\"auto-1\"}")).as("existing rooms still join")
                    .contains("\"role\":\"member\"");
            rooms.delete("auto-2");
            assertThat(request(client, "$room.create", "{\"room\":\"made-2\"}")).as("a deletion frees a place")
                    .contains("\"role\":\"owner\"");
        }
    }

    @Test
    void aRoomKeepsAtMostMaxEntriesOfEachKindFromClientsAndLapsedOnesMakeWay() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.rooms.max-entries", "3",
                "covet.rate.messages-per-second", "1000"), TestHandlers.ALL);
             WireClient owner = WireClient.withToken(server.uri(), "warden")) {
            Rooms rooms = server.bean(Rooms.class);
            rooms.create("yard", RoomConfig.of(RoomType.INVITE_ONLY, 100, 10), "warden");
            rooms.create("club", RoomConfig.of(RoomType.PRIVATE, 100, 10), "warden");
            request(owner, "$room.join", "{\"room\":\"yard\"}");
            request(owner, "$room.join", "{\"room\":\"club\"}");
            for (String command : List.of("$room.invite", "$room.ban", "$room.mute")) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(request(owner, command, entry("yard", "u" + i, i == 1 ? 1 : null))).as(command + i)
                            .doesNotContain("\"error\"");
                }
                assertThat(request(owner, command, entry("yard", "u4", null))).as(command + " past the bound")
                        .contains("\"code\":\"conflict\"").contains("at most 3");
                if (!command.equals("$room.invite")) {
                    assertThat(request(owner, command, entry("yard", "u2", 60))).as(command + " changing one")
                            .doesNotContain("\"code\":\"conflict\"");
                }
            }
            // The owner's role and two more fill the private room's list.
            request(owner, "$room.invite", "{\"room\":\"club\",\"user\":\"c1\"}");
            request(owner, "$room.role", "{\"room\":\"club\",\"user\":\"c2\",\"role\":\"moderator\"}");
            assertThat(request(owner, "$room.invite", "{\"room\":\"club\",\"user\":\"c3\"}"))
                    .contains("\"code\":\"conflict\"");
            assertThat(request(owner, "$room.role", "{\"room\":\"club\",\"user\":\"c3\",\"role\":\"admin\"}"))
                    .contains("\"code\":\"conflict\"");
            assertThat(request(owner, "$room.role", "{\"room\":\"club\",\"user\":\"c2\",\"role\":\"member\"}"))
                    .as("changing a role").doesNotContain("\"error\"");
            rooms.role("club", "c9", RoomRole.MEMBER);
            try (WireClient admitted = WireClient.withToken(server.uri(), "c9")) {
                assertThat(request(admitted, "$room.join", "{\"room\":\"club\"}")).as("server code is not limited")
                        .contains("\"role\":\"member\"");
            }
            for (String kicked : List.of("c1", "c9")) {
                assertThat(request(owner, "$room.kick", "{\"room\":\"club\",\"user\":\"" + kicked + "\"}"))
                        .doesNotContain("\"error\"");
            }

            TimeSource time = server.bean(TimeSource.class);
            time.use(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)), System::nanoTime);
            try {
                for (String command : List.of("$room.invite", "$room.ban", "$room.mute")) {
                    assertThat(request(owner, command, entry("yard", "u5", null)))
                            .as(command + ": u1's lapsed one made way").doesNotContain("\"error\"");
                    assertThat(request(owner, command, entry("yard", "u6", null))).as(command + " full again")
                            .contains("\"code\":\"conflict\"");
                }
                assertThat(request(owner, "$room.invite", "{\"room\":\"club\",\"user\":\"c4\"}"))
                        .as("the kicked users' places are free").doesNotContain("\"error\"");
            } finally {
                time.use(Clock.systemUTC(), System::nanoTime);
            }
        }
    }

    private static String entry(String room, String user, Integer seconds) {
        return "{\"room\":\"" + room + "\",\"user\":\"" + user + "\""
                + (seconds == null ? "" : ",\"seconds\":" + seconds) + "}";
    }
}
