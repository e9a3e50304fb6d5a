package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.CovetHealth;
import dev.covet.websocket.CovetStats;

/** The cluster on one real {@code redis-server}, which a test may crash and restart. */
class ClusterTest extends ClusterContract {

    private RedisProcess redis;

    @Override
    protected String startRedis() throws Exception {
        redis = RedisProcess.start();
        return redis.uri();
    }

    @Override
    protected void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRedisCrashLosesNoMessageAndDuplicatesNone() throws Exception {
        try (WireClient a = member("ida", "crash")) {
            for (int i = 1; i <= 5; i++) {
                other.say("crash", "before " + i);
            }
            CovetHealth health = server.bean(CovetHealth.class);
            long reconnects = server.bean(CovetStats.class).snapshot().cluster().reconnects();
            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> !health.readiness().up());
            assertThat(health.readiness().details()).containsEntry("cluster", "down");
            a.send("{\"event\":\"room.say\",\"id\":\"down\",\"data\":{\"text\":\"no\",\"tag\":\"crash\"}}");
            List<Long> offsets = new ArrayList<>();
            String refusal = null;
            while (refusal == null) {
                String frame = a.nextIgnoringNotices();
                if (frame.contains("\"replyTo\":\"down\"")) {
                    refusal = frame;
                } else {
                    offsets.add(offsetOf(frame));
                }
            }
            assertThat(refusal).as("a room message while Redis is down").contains("\"unavailable\"");
            redis.restart();
            for (int i = 1; i <= 5; i++) {
                String text = "after " + i;
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> other.say("crash", text) > 0);
            }
            while (offsets.size() < 10) {
                offsets.add(offsetOf(a.nextIgnoringNotices()));
            }
            assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            a.assertNothingQueued();
            await().atMost(Duration.ofSeconds(30)).until(() -> health.readiness().up());
            assertThat(server.bean(CovetStats.class).snapshot().cluster().reconnects()).isGreaterThan(reconnects);
        }
    }
}
