package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;

class RateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static RateLimiter limiter(Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("covet.auth.anonymous", "true");
        return new RateLimiter(CovetConfig.load(ConfigSource.standard(all::get)), 0);
    }

    @Test
    void allowsTheBurstThenRefusesWithTheTimeUntilTheNextToken() throws Exception {
        RateLimiter limiter = limiter(Map.of("covet.rate.messages-per-second", "5"));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(10, 0)).isZero();
        }
        assertThat(limiter.tryAcquire(10, 0)).isEqualTo(SECOND / 5);
        assertThat(limiter.tryAcquire(10, SECOND / 10)).isEqualTo(SECOND / 10);
        assertThat(limiter.tryAcquire(10, SECOND / 5)).isZero();
    }

    @Test
    void limitsBytesPerSecondIndependentlyOfMessageCount() throws Exception {
        RateLimiter limiter = limiter(Map.of("covet.rate.bytes-per-second", "1000"));
        assertThat(limiter.tryAcquire(800, 0)).isZero();
        assertThat(limiter.tryAcquire(800, 0)).isEqualTo(SECOND * 600 / 1000);
        assertThat(limiter.tryAcquire(200, 0)).isZero();
    }

    @Test
    void appliesThePerMinuteBucketAfterTheSecondBucketRefilled() throws Exception {
        RateLimiter limiter = limiter(Map.of("covet.rate.messages-per-second", "10",
                "covet.rate.messages-per-minute", "12"));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(1, 0)).isZero();
        }
        assertThat(limiter.tryAcquire(1, SECOND)).isZero();
        assertThat(limiter.tryAcquire(1, SECOND)).isZero();
        assertThat(limiter.tryAcquire(1, SECOND)).isPositive();
    }

    @Test
    void closesAfterTheConfiguredViolationsWithinTheWindowOnly() throws Exception {
        RateLimiter limiter = limiter(Map.of("covet.rate.violations-before-close", "3",
                "covet.rate.violation-window", "10s"));
        assertThat(limiter.violation(0)).isFalse();
        assertThat(limiter.violation(SECOND)).isFalse();
        assertThat(limiter.violation(11 * SECOND + 1)).isFalse();
        assertThat(limiter.violation(12 * SECOND)).isFalse();
        assertThat(limiter.violation(13 * SECOND)).isTrue();
    }
}
