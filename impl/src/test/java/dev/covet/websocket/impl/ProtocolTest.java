package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.routing.Router;

class ProtocolTest {

    private static TestServer server;
    private WireClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("covet.max-message-bytes", "1024"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        client = WireClient.withToken(server.uri(), "alice");
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void repliesWithTheRequestsCorrelationId() throws Exception {
        client.send("{\"event\":\"echo\",\"id\":\"42\",\"data\":{\"text\":\"hi\"}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"echo\",\"replyTo\":\"42\",\"data\":{\"text\":\"hi\"}}");
    }

    @Test
    void acksARequestWhoseHandlerDoesNotAnswer() throws Exception {
        client.send("{\"event\":\"silent\",\"id\":\"7\",\"data\":{\"text\":\"hi\"}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"ack\",\"replyTo\":\"7\"}");
    }

    @Test
    void sendsNothingForAnAnsweredFireAndForgetMessage() throws Exception {
        client.send("{\"event\":\"silent\",\"data\":{\"text\":\"hi\"}}");
        client.send("{\"event\":\"echo\",\"id\":\"after\",\"data\":{\"text\":\"x\"}}");
        assertThat(client.next()).contains("\"replyTo\":\"after\"");
    }

    @Test
    void answersMalformedJsonWithBadRequestAndStaysOpen() throws Exception {
        client.send("{not json");
        assertThat(client.next()).isEqualTo(
                "{\"event\":\"error\",\"error\":{\"code\":\"bad_request\",\"message\":\"Malformed JSON\"}}");
        client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"still here\"}}");
        assertThat(client.next()).contains("still here");
    }

    @Test
    void answersAnEnvelopeWithoutEventWithBadRequestToItsId() throws Exception {
        client.send("{\"id\":\"9\",\"data\":{}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"9\",\"error\":{\"code\":"
                + "\"bad_request\",\"message\":\"'event' is required and must be a non-blank string\"}}");
    }

    @Test
    void answersAnUnknownEventWithUnknownEvent() throws Exception {
        client.send("{\"event\":\"nope\",\"id\":\"3\"}");
        assertThat(client.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"3\",\"error\":{\"code\":"
                + "\"unknown_event\",\"message\":\"No handler for event 'nope'\"}}");
    }

    @Test
    void listsEveryViolatedFieldOnValidationFailure() throws Exception {
        client.send("{\"event\":\"echo\",\"id\":\"v\",\"data\":{\"text\":\" \",\"tag\":\"toolong\"}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"v\",\"error\":{\"code\":"
                + "\"validation_failed\",\"message\":\"Invalid data\",\"details\":["
                + "{\"path\":\"tag\",\"message\":\"size must be between 0 and 5\"},"
                + "{\"path\":\"text\",\"message\":\"must not be blank\"}]}}");
    }

    @Test
    void routesAnEventWithoutDataToAVoidHandler() throws Exception {
        client.send("{\"event\":\"ping\",\"id\":\"p\"}");
        assertThat(client.next()).isEqualTo("{\"event\":\"ping\",\"replyTo\":\"p\",\"data\":\"pong\"}");
    }

    @Test
    void givesEveryMessageItsOwnRequestContext() throws Exception {
        for (String id : new String[] {"s1", "s2"}) {
            client.send("{\"event\":\"scoped.count\",\"id\":\"" + id + "\"}");
            assertThat(client.next()).isEqualTo("{\"event\":\"scoped.count\",\"replyTo\":\"" + id + "\",\"data\":2}");
        }
    }

    @Test
    void requiresDataForAnEventWhoseHandlerTakesData() throws Exception {
        client.send("{\"event\":\"echo\",\"id\":\"n\"}");
        assertThat(client.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"n\",\"error\":{\"code\":"
                + "\"validation_failed\",\"message\":\"Invalid data\",\"details\":[{\"path\":\"\","
                + "\"message\":\"must not be null\"}]}}");
    }

    @Test
    void answersDataOfTheWrongShapeWithValidationFailed() throws Exception {
        client.send("{\"event\":\"echo\",\"id\":\"s\",\"data\":[1,2]}");
        assertThat(client.next()).contains("\"replyTo\":\"s\"").contains("\"code\":\"validation_failed\"");
    }

    @Test
    void namesThePathOfAFieldOfTheWrongTypeWithoutEchoingTheValue() throws Exception {
        client.send("{\"event\":\"numbers\",\"id\":\"w\",\"data\":{\"count\":1,\"nested\":{\"depth\":\"deep-secret\"}}}");
        assertThat(client.next()).contains("\"replyTo\":\"w\"").contains("\"code\":\"validation_failed\"")
                .contains("{\"path\":\"nested.depth\",\"message\":\"has the wrong type\"}")
                .doesNotContain("deep-secret");
        client.send("{\"event\":\"echo\",\"id\":\"v\",\"data\":{\"text\":{\"not\":\"a string\"}}}");
        assertThat(client.next()).contains("\"replyTo\":\"v\"").contains("{\"path\":\"text\",");
    }

    @Test
    void countsEachHandlersCallsFailuresAndTime() throws Exception {
        dev.covet.websocket.CovetStats stats = server.bean(dev.covet.websocket.CovetStats.class);
        dev.covet.websocket.CovetStats.Handler echoBefore = stats.snapshot().handlers().get("echo");
        dev.covet.websocket.CovetStats.Handler boomBefore = stats.snapshot().handlers().get("boom");
        client.send("{\"event\":\"echo\",\"id\":\"h1\",\"data\":{\"text\":\"x\"}}");
        assertThat(client.next()).contains("\"replyTo\":\"h1\"");
        client.send("{\"event\":\"boom\",\"id\":\"h2\",\"data\":{\"text\":\"x\"}}");
        assertThat(client.next()).contains("\"replyTo\":\"h2\"").contains("\"code\":\"internal\"");
        // The answer leaves inside the handler; the figures are recorded just after it returns.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                stats.snapshot().handlers().get("boom").calls() == boomBefore.calls() + 1
                        && stats.snapshot().handlers().get("echo").calls() == echoBefore.calls() + 1);
        dev.covet.websocket.CovetStats.Handler echo = stats.snapshot().handlers().get("echo");
        dev.covet.websocket.CovetStats.Handler boom = stats.snapshot().handlers().get("boom");
        assertThat(echo.calls()).isEqualTo(echoBefore.calls() + 1);
        assertThat(echo.errors()).isEqualTo(echoBefore.errors());
        assertThat(boom.calls()).isEqualTo(boomBefore.calls() + 1);
        assertThat(boom.errors()).isEqualTo(boomBefore.errors() + 1);
        assertThat(stats.snapshot().handlers()).as("every declared event, called or not").containsKey("whoami");
    }

    @Test
    void turnsAThrowingHandlerIntoInternalAndLogsTheCauseOnce() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(Router.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            client.send("{\"event\":\"boom\",\"id\":\"b\",\"data\":{\"text\":\"x\"}}");
            String error = client.next();
            assertThat(error).isEqualTo("{\"event\":\"error\",\"replyTo\":\"b\",\"error\":{\"code\":\"internal\","
                    + "\"message\":\"Internal server error\"}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> !records.isEmpty());
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(r.getThrown()).hasMessage("database password is hunter2");
            });
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void passesAHandlersOwnErrorToTheClient() throws Exception {
        client.send("{\"event\":\"refuse\",\"id\":\"r\",\"data\":{\"text\":\"x\"}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"r\",\"error\":{\"code\":\"conflict\","
                + "\"message\":\"Already taken\"}}");
    }

    @Test
    void refusesASecondAnswerToOneRequest() throws Exception {
        client.send("{\"event\":\"twice\",\"id\":\"t\",\"data\":{\"text\":\"x\"}}");
        assertThat(client.next()).startsWith("{\"event\":\"twice\",\"replyTo\":\"t\"");
        assertThat(client.next()).isEqualTo("{\"event\":\"twice.refused\",\"data\":\"Message 'twice' id 't' was "
                + "already answered\"}");
        client.assertNothingQueued();
    }

    @Test
    void runsAsyncObserversOffTheContainerThread() throws Exception {
        client.send("{\"event\":\"async.echo\",\"id\":\"a\",\"data\":{\"text\":\"hi\"}}");
        assertThat(client.next()).startsWith("{\"event\":\"async.echo\",\"replyTo\":\"a\",\"data\":{\"text\":"
                + "\"hi from covet-async-");
    }

    @Test
    void routesABinaryEnvelopeAndAnswersInBinary() throws Exception {
        byte[] header = "{\"event\":\"bytes.reverse\",\"id\":\"bin\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] frame = java.nio.ByteBuffer.allocate(4 + header.length + 3).putInt(header.length).put(header)
                .put(new byte[] {1, 2, 3}).array();
        client.sendBinary(frame);
        java.nio.ByteBuffer reply = java.nio.ByteBuffer.wrap(client.nextBinary());
        byte[] replyHeader = new byte[reply.getInt()];
        reply.get(replyHeader);
        assertThat(new String(replyHeader, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"event\":\"bytes.reverse\",\"replyTo\":\"bin\"}");
        byte[] body = new byte[reply.remaining()];
        reply.get(body);
        assertThat(body).containsExactly(3, 2, 1);
    }

    @Test
    void refusesATextFrameForABinaryEvent() throws Exception {
        client.send("{\"event\":\"bytes.reverse\",\"id\":\"x\"}");
        assertThat(client.next()).contains("\"code\":\"bad_request\"").contains("takes a binary frame");
    }

    @Test
    void appliesInterceptorsInPriorityOrder() throws Exception {
        client.send("{\"event\":\"blocked\",\"id\":\"i\",\"data\":{\"text\":\"x\"}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"error\",\"replyTo\":\"i\",\"error\":{\"code\":"
                + "\"forbidden\",\"message\":\"Blocked by policy\"}}");
        client.send("{\"event\":\"legacy.echo\",\"id\":\"l\",\"data\":{\"text\":\"old\"}}");
        assertThat(client.next()).isEqualTo("{\"event\":\"echo\",\"replyTo\":\"l\",\"data\":{\"text\":\"old\"}}");
    }

    @Test
    void closesWith1009OnAMessageOverTheLimit() throws Exception {
        client.send("{\"event\":\"echo\",\"data\":{\"text\":\"" + "x".repeat(2000) + "\"}}");
        assertThat(client.closeCode()).isEqualTo(1009);
    }
}
