package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.covet.websocket.Connections;
import dev.covet.websocket.auth.CheckResult;
import dev.covet.websocket.auth.HandshakeCheck;
import dev.covet.websocket.auth.HandshakeContext;

class HandshakeTest {

    /** The issuer's key, published in the server's JWK set file. */
    private static final RSAKey SIGNING = Keys.rsa("k1");
    /** A key the server has never seen. */
    private static final RSAKey ATTACKER = Keys.rsa("k1");
    private static final String API_KEY = "ak_live_8c1f0d7e4b2a9f3e6d5c4b3a2f1e0d9c";

    private static TestServer server;
    private static TestHandlers.Lifecycle lifecycle;

    @BeforeAll
    static void start() throws Exception {
        Class<?>[] beans = Arrays.copyOf(TestHandlers.ALL, TestHandlers.ALL.length + 1);
        beans[beans.length - 1] = DeviceCheck.class;
        server = TestServer.start(Map.of(
                "covet.allowed-origins", "https://app.example.com",
                "covet.auth.jwt.algorithms", "HS256,RS256",
                "covet.auth.jwt.jwks", Keys.jwksFile(SIGNING).toString(),
                "covet.auth.api-keys", "svc-reporter:" + Keys.sha256(API_KEY) + ":reader|admin",
                "covet.auth.cookie", "covet_session"), beans);
        lifecycle = server.bean(TestHandlers.Lifecycle.class);
    }

    /** A custom validator: devices by header, one blocked; runs before the built-in checks. */
    @ApplicationScoped
    @Priority(10)
    static class DeviceCheck implements HandshakeCheck {
        @Override
        public CheckResult check(HandshakeContext handshake) {
            return switch (handshake.header("X-Device-Id").orElse("")) {
                case "dev-42" -> CheckResult.authenticate("device-42", Set.of("device"));
                case "blocked" -> CheckResult.refuse("device blocked");
                default -> CheckResult.abstain();
            };
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forget() {
        lifecycle.events().clear();
    }

    @Test
    void admitsAValidBearerTokenAndExposesItsSubject() throws Exception {
        try (WireClient client = WireClient.withToken(server.uri(), "alice")) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle.events().size() == 2);
        assertThat(lifecycle.events()).containsExactly("connected:alice", "disconnected:1000");
    }

    @Test
    void admitsAValidTokenFromTheAccessTokenParameter() throws Exception {
        try (WireClient client = WireClient.connect(
                java.net.URI.create(server.uri() + "?access_token=" + Tokens.valid("bob")), Map.of())) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
    }

    @Test
    void refusesAConnectionWithoutCredentials() throws Exception {
        assertRefused(Map.of());
    }

    @Test
    void refusesATokenNamingAnAnonymousConnectionOrAUserNoNameMayBe() throws Exception {
        for (String user : java.util.List.of("~c0ffee", "line\nforged", "tab\tuser", "x".repeat(257))) {
            assertRefusedToken(Tokens.valid(user));
        }
        try (WireClient longest = WireClient.withToken(server.uri(), "x".repeat(256))) {
            assertThat(longest.isClosed()).isFalse();
        }
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").expirationTime(
                Date.from(Instant.now().minusSeconds(120))).build(), TestServer.SECRET));
    }

    @Test
    void refusesATokenWithoutExpiry() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").expirationTime(null).build(), TestServer.SECRET));
    }

    @Test
    void refusesAWrongIssuer() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").issuer("elsewhere").build(), TestServer.SECRET));
    }

    @Test
    void refusesAWrongAudience() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").audience("other-app").build(), TestServer.SECRET));
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() throws Exception {
        assertRefusedToken(Tokens.sign(Tokens.claims("eve").build(), "another-secret-another-secret-0123456789"));
    }

    @Test
    void refusesAnUnsignedAlgNoneToken() throws Exception {
        String valid = Tokens.valid("eve");
        String payload = valid.split("\\.")[1];
        for (String alg : new String[] {"none", "None", "NONE", "nOnE"}) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
            assertRefusedToken(header + "." + payload + ".");
        }
    }

    @Test
    void refusesAForeignOrigin() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + Tokens.valid("alice"), "Origin", "https://evil.example"));
    }

    @Test
    void admitsAListedOrigin() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of(
                "Authorization", "Bearer " + Tokens.valid("alice"), "Origin", "https://app.example.com"))) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
    }

    @Test
    void admitsTheServersOwnOrigin() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of(
                "Authorization", "Bearer " + Tokens.valid("alice"), "Origin", "http://127.0.0.1:" + server.port()))) {
            client.send("{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"hi\"}}");
            assertThat(client.next()).contains("\"replyTo\":\"1\"");
        }
    }

    /** The attack list of the authentication issue: each token is refused at the handshake, no user code runs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void refusesEveryAttackToken(String attack, String token) throws Exception {
        assertRefusedToken(token);
    }

    static Stream<Arguments> attacks() throws Exception {
        JWTClaimsSet valid = Tokens.claims("mallory").build();
        byte[] secret = TestServer.SECRET.getBytes(StandardCharsets.UTF_8);
        JWSHeader hs = new JWSHeader(JWSAlgorithm.HS256);
        String good = Keys.hs256(hs, valid, secret);
        String[] parts = good.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Tokens.claims("admin").build().toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder nested = new StringBuilder();
        nested.append("[".repeat(400)).append("]".repeat(400));
        List<Arguments> attacks = new ArrayList<>();
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
            attacks.add(Arguments.of("alg " + alg, header + "." + parts[1] + "."));
        }
        attacks.add(Arguments.of("HS256 signed with the server's RSA public key as the HMAC secret",
                Keys.hs256(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), valid,
                        SIGNING.toRSAPublicKey().getEncoded())));
        attacks.add(Arguments.of("HS256 signed with the public JWK's JSON as the secret",
                Keys.hs256(hs, valid, SIGNING.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))));
        attacks.add(Arguments.of("jwk header naming the attacker's key", Keys.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").jwk(ATTACKER.toPublicJWK()).build(),
                valid, ATTACKER)));
        attacks.add(Arguments.of("jku header pointing at the attacker's set", Keys.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                        .jwkURL(URI.create("http://127.0.0.1:9/attacker-jwks.json")).build(), valid, ATTACKER)));
        attacks.add(Arguments.of("x5u header pointing at the attacker's certificate", Keys.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                        .x509CertURL(URI.create("http://127.0.0.1:9/attacker.pem")).build(), valid, ATTACKER)));
        attacks.add(Arguments.of("kid path traversal, HMAC over /dev/null's content", Keys.hs256(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("../../../../../../dev/null").build(), valid,
                new byte[32])));
        attacks.add(Arguments.of("kid SQL injection", Keys.hs256(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("x' UNION SELECT 'secret' --").build(), valid,
                "secretsecretsecretsecretsecretsecret".getBytes(StandardCharsets.UTF_8))));
        attacks.add(Arguments.of("RS256 signed by an unknown key with the known kid", Keys.rs256(valid, ATTACKER)));
        attacks.add(Arguments.of("missing exp", Keys.hs256(hs, Tokens.claims("m").expirationTime(null).build(), secret)));
        attacks.add(Arguments.of("expired", Keys.hs256(hs, Tokens.claims("m")
                .expirationTime(Date.from(Instant.now().minusSeconds(120))).build(), secret)));
        attacks.add(Arguments.of("nbf in the future", Keys.hs256(hs, Tokens.claims("m")
                .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build(), secret)));
        attacks.add(Arguments.of("wrong aud", Keys.hs256(hs, Tokens.claims("m").audience("other").build(), secret)));
        attacks.add(Arguments.of("missing aud", Keys.hs256(hs, Tokens.claims("m").audience((String) null).build(),
                secret)));
        attacks.add(Arguments.of("wrong iss", Keys.hs256(hs, Tokens.claims("m").issuer("https://evil").build(),
                secret)));
        attacks.add(Arguments.of("missing iss", Keys.hs256(hs, Tokens.claims("m").issuer(null).build(), secret)));
        attacks.add(Arguments.of("missing sub", Keys.hs256(hs, Tokens.claims("m").subject(null).build(), secret)));
        attacks.add(Arguments.of("wrong typ", Keys.hs256(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("secevent+jwt")).build(), valid, secret)));
        attacks.add(Arguments.of("unknown crit header", Keys.hs256(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .criticalParams(Set.of("x-covet-unknown")).customParam("x-covet-unknown", true).build(), valid,
                secret)));
        attacks.add(Arguments.of("HS384 (not on the allowlist), right secret", Keys.hs256(
                new JWSHeader(JWSAlgorithm.HS384), valid, (TestServer.SECRET + TestServer.SECRET)
                        .getBytes(StandardCharsets.UTF_8))));
        attacks.add(Arguments.of("tampered payload", parts[0] + "." + otherPayload + "." + parts[2]));
        attacks.add(Arguments.of("stripped signature", parts[0] + "." + parts[1] + "."));
        attacks.add(Arguments.of("deeply nested claims", Keys.hs256(hs, Tokens.claims("m")
                .claim("deep", JSONObjectUtils.parse("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}"))
                .build(), secret)));
        attacks.add(Arguments.of("deeply nested raw JSON payload", parts[0] + "." + Base64.getUrlEncoder()
                .withoutPadding().encodeToString(("{\"sub\":" + nested + "}").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2]));
        attacks.add(Arguments.of("oversized token", good + "x".repeat(20_000)));
        return attacks.stream();
    }

    @Test
    void admitsAnRs256TokenFromTheJwkSetWithItsRoles() throws Exception {
        String token = Keys.rs256(Tokens.claims("alice").claim("roles", List.of("member", "editor")).build(),
                SIGNING);
        try (WireClient client = WireClient.connect(server.uri(), Map.of("Authorization", "Bearer " + token))) {
            assertThat(ask(client, "me")).isEqualTo("alice [editor, member]");
        }
    }

    @Test
    void admitsATokenFromTheSubprotocolAndAnswersTheMarkerNeverTheToken() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of(), "covet",
                "covet.bearer." + Tokens.valid("carol"))) {
            assertThat(client.subprotocol()).isEqualTo("covet");
            assertThat(ask(client, "me")).isEqualTo("carol [member]");
        }
    }

    @Test
    void admitsATokenFromTheConfiguredCookie() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(),
                Map.of("Cookie", "theme=dark; covet_session=" + Tokens.valid("dave")))) {
            assertThat(ask(client, "me")).isEqualTo("dave [member]");
        }
    }

    @Test
    void admitsAnApiKeyFromTheHeaderOrTheQueryWithItsOwnPrincipalAndRoles() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of("X-API-Key", API_KEY))) {
            assertThat(ask(client, "me")).isEqualTo("svc-reporter [admin, reader]");
        }
        try (WireClient client = WireClient.connect(URI.create(server.uri() + "?api_key=" + API_KEY), Map.of())) {
            assertThat(ask(client, "me")).isEqualTo("svc-reporter [admin, reader]");
        }
    }

    @Test
    void refusesAWrongApiKeyEvenOneDifferingInTheLastCharacter() throws Exception {
        assertRefused(Map.of("X-API-Key", API_KEY.substring(0, API_KEY.length() - 1) + "d"));
        assertRefused(Map.of("X-API-Key", ""));
    }

    @Test
    void anInvalidPresentedCredentialIsNotRescuedByAValidWeakerOne() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer not.a.token", "X-API-Key", API_KEY));
    }

    @Test
    void aCustomCheckAuthenticatesOrRefusesBeforeTheBuiltInOnes() throws Exception {
        try (WireClient client = WireClient.connect(server.uri(), Map.of("X-Device-Id", "dev-42"))) {
            assertThat(ask(client, "me")).isEqualTo("device-42 [device]");
        }
        lifecycle.events().clear();
        assertRefused(Map.of("X-Device-Id", "blocked", "Authorization", "Bearer " + Tokens.valid("alice")));
    }

    @Test
    void rolesAllowedIsEnforcedByTheRouter() throws Exception {
        try (WireClient member = WireClient.withToken(server.uri(), "alice")) {
            member.send("{\"event\":\"admin.only\",\"id\":\"a\"}");
            assertThat(member.next()).contains("\"replyTo\":\"a\"").contains("\"code\":\"forbidden\"");
        }
        try (WireClient admin = WireClient.connect(server.uri(), Map.of("X-API-Key", API_KEY))) {
            assertThat(ask(admin, "admin.only")).isEqualTo("svc-reporter");
        }
    }

    @Test
    void disconnectClosesEveryConnectionOfTheUserWith4003() throws Exception {
        try (WireClient first = WireClient.withToken(server.uri(), "frank");
             WireClient second = WireClient.withToken(server.uri(), "frank");
             WireClient other = WireClient.withToken(server.uri(), "grace")) {
            assertThat(ask(first, "me")).startsWith("frank");
            assertThat(ask(second, "me")).startsWith("frank");
            assertThat(ask(other, "me")).startsWith("grace");
            assertThat(server.bean(Connections.class).disconnect("frank", "logged out")).isEqualTo(2);
            assertThat(first.closeCode()).isEqualTo(4003);
            assertThat(second.closeCode()).isEqualTo(4003);
            assertThat(ask(other, "me")).startsWith("grace");
        }
    }

    /** Sends a data-less request and returns the reply's data as text. */
    private static String ask(WireClient client, String event) throws Exception {
        client.send("{\"event\":\"" + event + "\",\"id\":\"q\"}");
        String reply = client.next();
        assertThat(reply).contains("\"replyTo\":\"q\"");
        return reply.substring(reply.indexOf("\"data\":\"") + 8, reply.lastIndexOf('"'));
    }

    private static void assertRefusedToken(String token) throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + token));
    }

    /** Refused: either the upgrade fails, or the socket is closed with 1008 before any frame; no user code ran. */
    private static void assertRefused(Map<String, String> headers) throws Exception {
        WireClient client;
        try {
            client = WireClient.connect(server.uri(), headers);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertNoUserCodeRan();
            return;
        }
        try (client) {
            assertThat(client.closeCode()).isEqualTo(1008);
            assertThat(client.poll(Duration.ZERO)).isNull();
        }
        assertNoUserCodeRan();
    }

    /** Earlier tests' disconnects may still arrive; a refused handshake must never produce Connected. */
    private static void assertNoUserCodeRan() {
        assertThat(lifecycle.events()).noneMatch(e -> e.startsWith("connected:"));
    }
}
