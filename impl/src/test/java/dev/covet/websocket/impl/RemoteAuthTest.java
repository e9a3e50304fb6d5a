package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials checked against remote services on 127.0.0.1: a JWK set URL (caching, key rotation) and an
 * RFC 7662 introspection endpoint (opaque tokens, client authentication, bounded cache).
 */
class RemoteAuthTest {

    private static final RSAKey OLD = Keys.rsa("2026-old");
    private static final RSAKey NEW = Keys.rsa("2026-new");
    private static final String CLIENT = "Basic " + Base64.getEncoder().encodeToString(
            "covet:introspection-secret".getBytes(StandardCharsets.UTF_8));

    private static final AtomicReference<String> published = new AtomicReference<>(Keys.jwks(OLD));
    private static final AtomicInteger jwksFetches = new AtomicInteger();
    private static final AtomicInteger introspections = new AtomicInteger();
    private static HttpServer keys;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            reply(exchange, 200, published.get());
        });
        keys.createContext("/introspect", RemoteAuthTest::introspect);
        keys.start();
        String base = "http://127.0.0.1:" + keys.getAddress().getPort();
        server = TestServer.start(Map.of("covet.auth.jwt.algorithms", "RS256",
                "covet.auth.jwt.jwks", base + "/jwks",
                "covet.auth.jwt.jwks-cache", "10s",
                "covet.auth.introspection.url", base + "/introspect",
                "covet.auth.introspection.client-id", "covet",
                "covet.auth.introspection.client-secret", "introspection-secret"), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
        keys.stop(0);
    }

    private static void introspect(HttpExchange exchange) throws IOException {
        introspections.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!CLIENT.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        String answer = switch (form.substring(0, form.indexOf('&'))) {
            case "token=opaque-ivan" -> "{\"active\":true,\"sub\":\"ivan\",\"scope\":\"read write\",\"exp\":" + exp
                    + ",\"aud\":\"" + TestServer.AUDIENCE + "\"}";
            case "token=opaque-other-audience" -> "{\"active\":true,\"sub\":\"judy\",\"exp\":" + exp
                    + ",\"aud\":\"another-api\"}";
            default -> "{\"active\":false}";
        };
        reply(exchange, 200, answer);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void fetchesTheKeySetOnceAndFollowsARotation() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(me(Keys.rs256(Tokens.claims("alice").build(), OLD))).isEqualTo("alice [member]");
        }
        assertThat(jwksFetches.get()).as("key set fetches for three tokens").isEqualTo(1);
        published.set(Keys.jwks(OLD, NEW));
        String rotated = Keys.rs256(Tokens.claims("bob").build(), NEW);
        await("the new key is fetched after the rate limit").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "bob [member]".equals(meOrRefused(rotated)));
        assertThat(jwksFetches.get()).isBetween(2, 3);
    }

    @Test
    void introspectsOpaqueTokensAndCachesTheAnswer() throws Exception {
        int before = introspections.get();
        assertThat(me("opaque-ivan")).isEqualTo("ivan [read, write]");
        assertThat(me("opaque-ivan")).isEqualTo("ivan [read, write]");
        assertThat(introspections.get() - before).as("endpoint calls for two connections").isEqualTo(1);
        assertThat(meOrRefused("opaque-revoked")).isEqualTo("refused");
        assertThat(meOrRefused("opaque-other-audience")).isEqualTo("refused");
    }

    private static String me(String token) throws Exception {
        String answer = meOrRefused(token);
        assertThat(answer).isNotEqualTo("refused");
        return answer;
    }

    /** The {@code me} reply of a connection with the token, or "refused" when the handshake is refused. */
    private static String meOrRefused(String token) throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + token))) {
            try {
                client.send("{\"event\":\"me\",\"id\":\"m\"}");
            } catch (ExecutionException closedFirst) {
                assertThat(client.closeCode()).isEqualTo(1008);
                return "refused";
            }
            Object frame = client.poll(Duration.ofSeconds(5));
            if (frame == null || client.isClosed()) {
                assertThat(client.closeCode()).isEqualTo(1008);
                return "refused";
            }
            String reply = (String) frame;
            return reply.substring(reply.indexOf("\"data\":\"") + 8, reply.lastIndexOf('"'));
        }
    }
}
