package dev.covet.websocket.impl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeReaderTest {

    @Test
    void returnsTheExactDataSpanAndDecodedStrings() {
        EnvelopeReader envelope = EnvelopeReader.read(
                " {\"x\":[1,{\"y\":null}],\"event\":\"chat\\u002Esend\",\"id\":\"a\\\"b\","
                        + "\"data\": {\"text\" : \"hi\\n\", \"n\": -1.5e3, \"ok\": [true,false]} }\n");
        assertThat(envelope.event()).isEqualTo("chat.send");
        assertThat(envelope.id()).isEqualTo("a\"b");
        assertThat(envelope.data()).isEqualTo("{\"text\" : \"hi\\n\", \"n\": -1.5e3, \"ok\": [true,false]}");
    }

    @Test
    void reportsAbsentDataAsJsonNullAndANonStringIdAsPresent() {
        EnvelopeReader envelope = EnvelopeReader.read("{\"event\":\"e\",\"id\":7}");
        assertThat(envelope.data()).isEqualTo("null");
        assertThat(envelope.hasId()).isTrue();
        assertThat(envelope.id()).isNull();
        assertThat(EnvelopeReader.read("{\"event\":\"e\",\"id\":null}").hasId()).isFalse();
    }

    @Test
    void treatsANonStringEventAsAbsent() {
        assertThat(EnvelopeReader.read("{\"event\":42}").event()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"event\"}", "{\"event\":\"e\",}", "{\"event\":\"e\"} x", "{'event':'e'}",
        "{\"event\":\"e\",\"data\":01}", "{\"event\":\"e\",\"data\":1.}", "{\"event\":\"e\",\"data\":tru}",
        "{\"event\":\"a\tb\"}", "{\"event\":\"\\x\"}", "{\"event\":\"\\u12G4\"}", "{\"data\":[1,]}", "{\"event\":\"e\""})
    void refusesMalformedJson(String frame) {
        assertThatThrownBy(() -> EnvelopeReader.read(frame)).isInstanceOf(BadEnvelopeException.class)
                .hasMessage("Malformed JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "42", "null"})
    void refusesValidJsonThatIsNotAnObject(String frame) {
        assertThatThrownBy(() -> EnvelopeReader.read(frame)).hasMessage("The envelope must be a JSON object");
    }

    @Test
    void refusesNestingBeyondTheLimitWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> EnvelopeReader.read("{\"event\":\"e\",\"data\":" + deep + "}"))
                .hasMessage("JSON nested deeper than 64 levels");
        String allowed = "[".repeat(63) + "]".repeat(63);
        assertThat(EnvelopeReader.read("{\"event\":\"e\",\"data\":" + allowed + "}").data()).isEqualTo(allowed);
    }
}
