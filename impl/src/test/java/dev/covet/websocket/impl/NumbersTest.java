package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers a client sends are never wrapped, rounded or turned into an internal error: a value that does not fit its
 * field is answered with {@code validation_failed} naming the field's path, in user events and built-in commands
 * alike. Booleans likewise: a boolean field takes {@code true} or {@code false}, never a number or a string that
 * JSON-B would bind as something else.
 */
class NumbersTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.rate.messages-per-second", "1000"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "count | 4294967297",
        "count | 2147483648",
        "count | -2147483649",
        "count | 1.5",
        "count | 1e999",
        "big | 9223372036854775808",
        "big | 18446744073709551617",
        "small | 32768",
        "tiny | 128",
        "ratio | 1e999",
        "ratio | -1e400",
        "share | 1e39",
        "list | [1, 4294967297]",
        "nested | {\"depth\": 1e10}",
        "maybe | 4294967297",
        "tally | {\"a\": 1, \"b\": 2.5}",
        "count | 1e99999999",
        "big | -1e2147483647",
        "tiny | 1e-99999999",
        "list | [1, 1E+99999999]",
        "ratio | 1e99999999",
        "maybe | \"4294967297\"",
        "count | \"1.5\""})
    void anOutOfRangeNumberIsAValidationFailureNamingItsPath(String field, String value) throws Exception {
        refusal("numbers", "{" + (field.equals("count") ? "" : "\"count\":1,") + "\"" + field + "\":" + value + "}",
                field);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "ratio | \"1e999\"",
        "ratio | \"NaN\"",
        "share | \"-Infinity\"",
        "ratio | \"1.5\""})
    void aStringForAFloatingPointFieldIsAValidationFailure(String field, String value) throws Exception {
        assertThat(refusal("numbers", "{\"count\":1,\"" + field + "\":" + value + "}", field))
                .contains("must be a number, not a string");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "on | 1",
        "on | 0",
        "on | \"yes\"",
        "on | \"true\"",
        "maybe | 1",
        "maybe | \"false\"",
        "all | [true, 1]",
        "all | [false, \"no\"]",
        "perhaps | \"yes\"",
        "byName | {\"a\": true, \"b\": 2}",
        "inner | {\"deep\": \"true\"}"})
    void aBooleanFieldTakesOnlyTrueOrFalse(String field, String value) throws Exception {
        assertThat(refusal("switches", "{\"" + field + "\":" + value + "}", field)).contains("must be true or false");
    }

    /**
     * Sends {@code data} for {@code event} as a request and checks that it is answered {@code validation_failed}
     * with a detail whose path starts with {@code path}.
     *
     * @return the answer, for the caller to check its message
     */
    private static String refusal(String event, String data, String path) throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "refused-" + event)) {
            client.send("{\"event\":\"" + event + "\",\"id\":\"r\",\"data\":" + data + "}");
            String answer = client.next();
            assertThat(answer).as(answer).contains("\"replyTo\":\"r\"").contains("\"code\":\"validation_failed\"")
                    .contains("\"path\":\"" + path);
            return answer;
        }
    }

    @Test
    void booleansAreBoundAsSent() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "switches-valid")) {
            client.send("{\"event\":\"switches\",\"id\":\"b\",\"data\":{\"on\":true,\"maybe\":null,"
                    + "\"all\":[true,false],\"perhaps\":false,\"byName\":{\"a\":true},\"inner\":{\"deep\":true}}}");
            assertThat(client.next()).contains("\"replyTo\":\"b\"").contains("\"on\":true")
                    .contains("\"all\":[true,false]").contains("\"perhaps\":false").contains("\"byName\":{\"a\":true}")
                    .contains("\"inner\":{\"deep\":true}");
        }
    }

    @Test
    void numbersAtTheEdgesOfTheirRangeAreBoundExactly() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "edges")) {
            client.send("{\"event\":\"numbers\",\"id\":\"e\",\"data\":{\"count\":2147483647,"
                    + "\"big\":-9223372036854775808,\"small\":-32768,\"tiny\":127,\"ratio\":1e308,"
                    + "\"share\":3.4e38,\"list\":[-2147483648],\"nested\":{\"depth\":-1},\"maybe\":-2147483648,"
                    + "\"tally\":{\"a\":2147483647}}}");
            assertThat(client.next()).contains("\"replyTo\":\"e\"").contains("\"count\":2147483647")
                    .contains("\"big\":-9223372036854775808").contains("\"small\":-32768").contains("\"tiny\":127")
                    .contains("\"list\":[-2147483648]").contains("\"depth\":-1").contains("\"maybe\":-2147483648")
                    .contains("\"tally\":{\"a\":2147483647}");
        }
    }

    @Test
    void aRecursiveTypeIsCheckedAtEveryDepth() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "trees")) {
            client.send("{\"event\":\"tree\",\"id\":\"t\",\"data\":{\"value\":1,\"children\":[{\"value\":2,"
                    + "\"children\":[{\"value\":4294967297,\"children\":[]}]}]}}");
            assertThat(client.next()).contains("\"replyTo\":\"t\"").contains("\"code\":\"validation_failed\"")
                    .contains("\"path\":\"children[0].children[0].value\"");
            client.send("{\"event\":\"tree\",\"id\":\"u\",\"data\":{\"value\":1,\"children\":[{\"value\":2,"
                    + "\"children\":[]}]}}");
            assertThat(client.next()).contains("\"replyTo\":\"u\"").contains("\"value\":2");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "$room.create | maxMembers | 4294967297",
        "$room.create | historySize | 1e999",
        "$room.create | historySize | 2.5",
        "$room.ban | seconds | 18446744073709551617",
        "$room.mute | seconds | 0",
        "$room.invite | seconds | 1e30",
        "$room.join | since | 1e999",
        "$history | since | -1",
        "$history | limit | 100000"})
    void aBuiltInCommandRangeChecksEveryNumber(String command, String field, String value) throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "numbers-" + field)) {
            client.send("{\"event\":\"" + command + "\",\"id\":\"c\",\"data\":{\"room\":\"nums\",\"user\":\"x\","
                    + "\"epoch\":\"e\",\"" + field + "\":" + value + "}}");
            String answer = client.next();
            assertThat(answer).as(answer).contains("\"replyTo\":\"c\"").contains("\"code\":\"validation_failed\"")
                    .contains("\"path\":\"" + field + "\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lone high surrogate | a\\ud800b",
        "lone low surrogate | \\udc00",
        "control character | bell\\u0007",
        "bidi override | abc\\u202edef",
        "zero-width joiner | a\\u200db",
        "line separator | a\\u2028b",
        "decomposed accent (not NFC) | cafe\\u0301"})
    void aRoomNameThatCouldLookLikeAnotherIsRefused(String what, String name) throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "names")) {
            client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"" + name + "\"}}");
            String answer = client.next();
            assertThat(answer).as(answer).contains("\"replyTo\":\"j\"").contains("\"code\":\"validation_failed\"")
                    .contains("\"path\":\"room\"");
        }
    }
}
