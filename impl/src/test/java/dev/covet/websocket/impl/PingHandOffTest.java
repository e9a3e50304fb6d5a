package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.Connection;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Heartbeats;
import dev.covet.websocket.impl.connection.PingThreads;
import dev.covet.websocket.impl.connection.TimeSource;

/**
 * Where the container's ping blocks (the portable {@code sendPing}: Tomcat, Undertow, Open Liberty, and Tyrus without
 * batching), pings are sent on the deployment's four ping threads, which peers with full sockets can all hold. A ping
 * waiting for one is not held against its connection: the heartbeat timeout runs from when it is written.
 */
class PingHandOffTest {

    @Test
    void aPingWaitingForAPingThreadIsNotHeldAgainstItsConnection() throws Exception {
        try (TestServer server = TestServer.start(Map.of("covet.outbound.batching", "off",
                "covet.heartbeat.interval", "200ms", "covet.heartbeat.timeout", "400ms"), TestHandlers.ALL);
             WireClient patient = WireClient.withToken(server.uri(), "patient")) {
            Connection connection = patient.connection(server);
            CountDownLatch release = new CountDownLatch(1);
            PingThreads.holdAll(server.bean(ConnectionRegistry.class), release);
            try {
                await("a ping waiting for a ping thread").atMost(Duration.ofSeconds(5))
                        .until(() -> PingThreads.pingWaiting(connection));
                // Five heartbeat timeouts pass while it waits: the sweep's clock is advanced, not waited for.
                long jump = Duration.ofSeconds(2).toNanos();
                server.bean(TimeSource.class).use(Clock.systemUTC(), () -> System.nanoTime() + jump);
                Heartbeats heartbeats = server.bean(Heartbeats.class);
                long jumped = System.nanoTime() + jump;
                await("three sweeps after the jump").atMost(Duration.ofSeconds(5))
                        .until(() -> heartbeats.lastSweepNanos() > jumped + 2 * heartbeats.tickNanos());
                assertThat(patient.isClosed()).as("not closed 4011 for a ping it was never sent").isFalse();
            } finally {
                release.countDown();
            }
            int pings = patient.pings();
            await("pinged once a thread is free").atMost(Duration.ofSeconds(5)).until(() -> patient.pings() > pings);
            assertThat(patient.isClosed()).isFalse();
        }
    }
}
