package dev.covet.websocket.tck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code covet.outbound.send-timeout} over the wire on Open Liberty ({@link StalledMember}), which is given the
 * timeout and fails the write; Covet then closes the session unless Liberty ended the connection. Its own server,
 * since the kit's settings (a 1 s heartbeat) would close the member first.
 */
class LibertySendTimeoutIT {

    private static LibertyServer server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("liberty");
        server = LibertyServer.start("covet-send-timeout", StalledMember.settingArguments());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aMemberWhoseWriteWaitsLongerThanTheSendTimeoutIsClosedAsASlowConsumer() throws Exception {
        new StalledMember(server.webSocket(), server.httpRoot().resolve("api/stats"),
                user -> CovetKit.sampleToken(server.httpRoot(), user, 3600)).isClosedAsASlowConsumer();
    }
}
