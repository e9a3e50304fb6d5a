package dev.covet.websocket.tck;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.apache.catalina.startup.Tomcat;

import dev.covet.sample.chat.DevTokens;
import dev.covet.sample.chat.StatsServlet;

/**
 * {@code covet.outbound.send-timeout} over the wire on Tomcat ({@link StalledMember}), which is given the timeout
 * ({@code RemoteEndpoint.Async.setSendTimeout}), fails the write and closes the socket itself. Before, a close frame
 * Covet wrote in between landed behind the part of a frame Tomcat had written, and the client read a close code out
 * of that frame's bytes. Its own server, since the kit's settings (a 1 s heartbeat) would close the member first.
 */
class TomcatSendTimeoutIT {

    private static EmbeddedTomcat server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("tomcat");
        server = EmbeddedTomcat.start("tomcat-send-timeout", (tomcat, context) -> {
            StalledMember.SETTINGS.forEach(context::addParameter);
            Tomcat.addServlet(context, "stats", new StatsServlet()).addMapping("/api/stats");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aMemberWhoseWriteWaitsLongerThanTheSendTimeoutIsClosedAsASlowConsumer() throws Exception {
        new StalledMember(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                URI.create("http://127.0.0.1:" + server.port() + "/api/stats"),
                user -> DevTokens.mint(user, DevTokens.developmentSettings())).isClosedAsASlowConsumer();
    }
}
