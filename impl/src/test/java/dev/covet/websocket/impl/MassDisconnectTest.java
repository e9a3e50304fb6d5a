package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.covet.websocket.Connections;
import dev.covet.websocket.Rooms;

/**
 * Every member of a large room drops its TCP connection at once (a proxy restarts, a network blip). Each departure
 * is announced to the others, and announcing it to a member that is gone but not yet noticed fails and ends that
 * member on the same thread (the container's {@code onClose} from inside the failed write, or a forced close when the
 * closer threads are busy); those ends ran inside one another until a container thread's stack overflowed, and the
 * server then stopped cleaning up and completing handshakes. The server must come through it: every connection
 * cleaned up, the room emptied of them, new connections served.
 */
class MassDisconnectTest {

    private static final int MEMBERS = 1_000;

    @ParameterizedTest
    @ValueSource(strings = {"tyrus", "jetty"})
    void aRoomWhoseMembersAllDropAtOnceLeavesTheServerServing(String container) throws Exception {
        Map<String, String> settings = Map.of("covet.connections.max-per-ip", "2000");
        try (TestServer server = "jetty".equals(container) ? TestServer.startOnJetty(settings, TestHandlers.ALL)
                : TestServer.start(settings, TestHandlers.ALL)) {
            Connections connections = server.bean(Connections.class);
            List<RawClient> members = new ArrayList<>();
            try {
                for (int i = 0; i < MEMBERS; i++) {
                    RawClient member = RawClient.open(server.uri(), Tokens.valid("member-" + i), 256 * 1024);
                    members.add(member);
                    member.send("{\"event\":\"$room.join\",\"data\":{\"room\":\"crowd\"}}");
                }
                await("every member joined").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> server.bean(Rooms.class).members("crowd").size() == MEMBERS);
                assertThat(connections.count()).isEqualTo(MEMBERS);
            } finally {
                for (RawClient member : members) {
                    member.abort();
                }
            }
            await("every dropped connection cleaned up").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> connections.count() == 0);
            try (WireClient after = WireClient.withToken(server.uri(), "after")) {
                after.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"crowd\"}}");
                assertThat(after.nextIgnoringNotices()).as("the join's reply: the dropped members left the room")
                        .contains("\"replyTo\":\"j\"", "\"members\":1,").containsPattern("\"users\":1[,}]");
            }
        }
    }
}
