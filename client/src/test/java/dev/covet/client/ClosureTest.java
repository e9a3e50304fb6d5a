package dev.covet.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class ClosureTest {

    @Test
    void closeCodesAndRefusedHandshakesMapToWhatTheyMeanForReconnecting() {
        assertThat(Closure.Kind.of(4001, false)).isEqualTo(Closure.Kind.AUTHENTICATION_FAILED);
        assertThat(Closure.Kind.of(4002, false)).isEqualTo(Closure.Kind.CREDENTIALS_EXPIRED);
        assertThat(Closure.Kind.of(4003, false)).isEqualTo(Closure.Kind.REVOKED);
        assertThat(Closure.Kind.of(4029, false)).isEqualTo(Closure.Kind.RATE_LIMITED);
        assertThat(Closure.Kind.of(1013, false)).isEqualTo(Closure.Kind.OVER_CAPACITY);
        assertThat(Closure.Kind.of(4999, false)).isEqualTo(Closure.Kind.OTHER);
        assertThat(Closure.Kind.of(401, true)).isEqualTo(Closure.Kind.AUTHENTICATION_FAILED);
        assertThat(Closure.Kind.of(429, true)).isEqualTo(Closure.Kind.OVER_CAPACITY);
        assertThat(Closure.Kind.of(401, true).needsNewToken()).isTrue();
        assertThat(Closure.Kind.of(4002, false).needsNewToken()).as("a fresh token, not a different one").isFalse();
        assertThat(Closure.Kind.of(503, true).overloaded()).isTrue();
        assertThat(Closure.Kind.of(1006, false).overloaded()).isFalse();
    }

    @Test
    void readsTheExpiryOfAJwtAndNothingFromAnythingElse() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"ann\",\"exp\":1795708283}".getBytes(StandardCharsets.UTF_8));
        assertThat(Frames.expiryOf("eyJhbGciOiJIUzI1NiJ9." + payload + ".c2ln")).isEqualTo(1795708283L);
        assertThat(Frames.expiryOf("an-opaque-token")).isNull();
        assertThat(Frames.expiryOf("a.!!!.c")).isNull();
        assertThat(Frames.expiryOf(null)).isNull();
    }
}
