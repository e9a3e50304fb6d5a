package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.websocket.CloseReason;

/** Close reasons fit RFC 6455's 123 bytes whatever the text, and building one never throws. */
class CloseReasonsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "é", "€", "🙂", "a🙂", "aé", "\uD800"})
    void aLongReasonIsCutAtACodePointToAtMost123Bytes(String unit) {
        for (int repeat = 1; repeat < 200; repeat++) {
            String reason = unit.repeat(repeat);
            String cut = CloseReasons.truncate(reason);
            assertThat(cut.getBytes(StandardCharsets.UTF_8).length).as(reason).isLessThanOrEqualTo(123);
            assertThat(cut.codePoints().noneMatch(c -> Character.isSurrogate((char) c) && c < 0x10000)).isTrue();
            CloseReason built = CloseReasons.of(4003, reason);
            assertThat(built.getReasonPhrase()).isEqualTo(cut);
        }
    }

    @Test
    void aReasonThatFitsIsKeptAsItIs() {
        String fits = "é".repeat(61) + "a";
        assertThat(CloseReasons.truncate(fits)).isEqualTo(fits);
        assertThat(CloseReasons.truncate("é".repeat(62))).isEqualTo("é".repeat(60) + "...");
    }

    @Test
    void anInvalidCodeBecomes1011InsteadOfThrowing() {
        assertThat(CloseReasons.of(99, "x").getCloseCode().getCode()).isEqualTo(1011);
        assertThat(CloseReasons.of(4003, null).getReasonPhrase()).isEmpty();
    }
}
