package dev.covet.websocket.tck;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code covet.outbound.send-timeout} over the wire on WildFly (Undertow, which is given the timeout through
 * {@code RemoteEndpoint.Async.setSendTimeout}): {@link StalledMember}, with the chat sample's WAR unchanged. Its own
 * server, since the kit's settings (a 1 s heartbeat, system properties that beat {@code web.xml} there) would close
 * the member first.
 */
class WildFlySendTimeoutIT {

    private static WildFlyServer server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("wildfly");
        server = WildFlyServer.start("wildfly-send-timeout", Map.of(), StalledMember.settingArguments());
        server.deploy("chat");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aMemberWhoseWriteWaitsLongerThanTheSendTimeoutIsClosedAsASlowConsumer() throws Exception {
        URI root = server.httpRoot("chat");
        new StalledMember(URI.create("ws://127.0.0.1:" + root.getPort() + "/chat/ws"), root.resolve("api/stats"),
                user -> CovetKit.sampleToken(root, user, 3600)).isClosedAsASlowConsumer();
    }
}
