package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.Connections;
import dev.covet.websocket.CovetStats;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.endpoint.CovetEndpoint;

class ConnectionChurnTest {

    private static final int CYCLES = 1_000;

    @Test
    void thousandConnectDisconnectCyclesLeaveNoLiveConnectionEndpointOrSession() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.connections.max-per-user", "5"), TestHandlers.ALL)) {
            for (int i = 0; i < CYCLES; i++) {
                try (WireClient client = WireClient.withToken(server.uri(), "churn")) {
                    client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"churn\"}}");
                    client.next();
                }
            }
            Connections connections = server.bean(Connections.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.count() == 0);
            CovetStats.Snapshot stats = server.bean(CovetStats.class).snapshot();
            assertThat(stats.opened()).isEqualTo(CYCLES);
            assertThat(stats.open()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String histogram = liveHistogram();
                assertThat(live(histogram, DefaultConnection.class.getName())).isZero();
                assertThat(live(histogram, CovetEndpoint.class.getName())).isZero();
                assertThat(live(histogram, "org.glassfish.tyrus.core.TyrusSession")).isZero();
            });
        }
    }

    /** The JVM's own live-object histogram (it runs a full GC first), as {@code jmap -histo:live} prints it. */
    private static String liveHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private static long live(String histogram, String className) {
        Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)",
                Pattern.MULTILINE).matcher(histogram);
        return row.find() ? Long.parseLong(row.group(1)) : 0;
    }
}
