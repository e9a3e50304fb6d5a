package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.Test;

/**
 * Captures every log line of a full session — the library at every level, everything else at INFO, as a
 * production server logs — and finds no token, API key or cookie value in it.
 *
 * <p>The containers' own debug tracing is out of scope and documented: Tyrus at FINE prints handshake headers.
 */
class LogRedactionTest {

    private static final String API_KEY = "ak_test_5d2c7e9a1b3f4e6d8c0b2a4f6e8d0c1b";

    @Test
    void noCredentialAppearsInAnyLogLine() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        SimpleFormatter format = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()
                        || record.getLoggerName() != null && record.getLoggerName().startsWith("dev.covet")) {
                    lines.add(format.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Logger library = Logger.getLogger("dev.covet");
        Level rootLevel = root.getLevel();
        root.addHandler(capture);
        library.setLevel(Level.ALL);
        String bearer = Tokens.valid("alice");
        String query = Tokens.valid("bob");
        String cookie = Tokens.valid("carol");
        String protocol = Tokens.valid("dave");
        String inBand = Tokens.valid("erin");
        String forged = bearer.substring(0, bearer.length() - 4) + "AAAA";
        String expired = Tokens.sign(Tokens.claims("frank").expirationTime(java.util.Date.from(
                java.time.Instant.now().minusSeconds(600))).build(), TestServer.SECRET);
        try (TestServer server = TestServer.start(Map.of("covet.auth.api-keys", "svc:" + Keys.sha256(API_KEY),
                "covet.auth.cookie", "sid", "covet.auth.first-message", "true"), TestHandlers.ALL)) {
            session(Map.of("Authorization", "Bearer " + bearer), server.uri());
            session(Map.of(), URI.create(server.uri() + "?access_token=" + query));
            session(Map.of("Cookie", "sid=" + cookie), server.uri());
            session(Map.of("X-API-Key", API_KEY), server.uri());
            try (WireClient client = WireClient.connect(server.uri(), Map.of(), "covet", "covet.bearer." + protocol)) {
                client.send("{\"event\":\"boom\",\"id\":\"b\",\"data\":{\"text\":\"x\",\"tag\":\"t\"}}");
                client.next();
            }
            try (WireClient client = WireClient.connect(server.uri(), Map.of())) {
                client.send("{\"event\":\"$auth\",\"id\":\"a\",\"data\":{\"token\":\"" + forged + "\"}}");
                client.next();
                client.send("{\"event\":\"$auth\",\"id\":\"b\",\"data\":{\"token\":\"" + inBand + "\"}}");
                client.next();
                client.send("{\"event\":\"$auth.refresh\",\"id\":\"c\",\"data\":{\"token\":\"" + inBand + "\"}}");
                client.next();
            }
            try (WireClient refused = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + forged))) {
                refused.closeCode();
            }
            try (WireClient refused = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + expired))) {
                refused.closeCode();
            }
        } finally {
            root.removeHandler(capture);
            root.setLevel(rootLevel);
            library.setLevel(null);
        }
        assertThat(lines).as("the session was logged at all").anyMatch(line -> line.contains("Opened connection "));
        assertThat(String.join("\n", lines)).doesNotContain(bearer, query, cookie, protocol, inBand, forged, API_KEY,
                expired, TestServer.SECRET, signature(bearer), signature(forged), signature(expired));
        assertThat(lines).as("why each token was refused, at DEBUG")
                .anyMatch(line -> line.contains("Refused a token: invalid token (signature)"))
                .anyMatch(line -> line.contains("Refused a token: invalid token (expired)"));
    }

    private static void session(Map<String, String> headers, URI uri) throws Exception {
        try (WireClient client = WireClient.connect(uri, headers)) {
            client.send("{\"event\":\"me\",\"id\":\"m\"}");
            assertThat(client.next()).contains("\"replyTo\":\"m\"");
        }
    }

    private static String signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }
}
