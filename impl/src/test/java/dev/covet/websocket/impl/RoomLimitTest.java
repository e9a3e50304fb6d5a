package dev.covet.websocket.impl;

import static dev.covet.websocket.impl.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.Rooms;

/** However rooms are made (created, auto-created by joining), a server keeps at most {@code covet.rooms.max}. */
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
}
