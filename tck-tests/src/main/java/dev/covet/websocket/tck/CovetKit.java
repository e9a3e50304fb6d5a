package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The black-box compatibility kit: the wire protocol of {@code docs/protocol.md}, exercised against the chat
 * sample on one container. Each runner extends it and says where the sample runs and how to get a token.
 *
 * <p>Compiled without the implementation: only a socket, JSON and the documented protocol. The undeploy case runs
 * last, since it ends the application.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class CovetKit {

    /** {@code covet.connections.max-per-user} the runners configure (system property). */
    protected static final int PER_USER_LIMIT = 3;
    /** {@code covet.connections.max-per-ip} the runners configure; they also trust 127.0.0.1 as a proxy. */
    protected static final int PER_IP_LIMIT = 10;
    /** {@code covet.rate.bytes-per-second} the runners configure. */
    protected static final int BYTES_PER_SECOND = 65_536;

    /** @return the sample's WebSocket URI, e.g. {@code ws://127.0.0.1:8080/ws} */
    protected abstract URI webSocketUri();

    /**
     * A valid token for the user, as the application issues it: by default from the sample's development
     * endpoint {@code GET /api/token?user=NAME}; runners without an HTTP layer override this.
     *
     * @param user the user name
     * @return the token
     * @throws Exception when it cannot be obtained
     */
    protected String token(String user) throws Exception {
        return token(user, 3600);
    }

    /**
     * A valid token for the user that expires after the given seconds ({@code GET /api/token?user=NAME&seconds=S}).
     *
     * @param user the user name
     * @param seconds its lifetime, 1 to 3600
     * @return the token
     * @throws Exception when it cannot be obtained
     */
    protected String token(String user, long seconds) throws Exception {
        URI endpoint = httpRoot().orElseThrow(() -> new IllegalStateException("override token() without HTTP"))
                .resolve("api/token?user=" + user + "&seconds=" + seconds);
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.substring(body.indexOf(":\"") + 2, body.lastIndexOf('"'));
    }

    /** @return the sample's HTTP root when the container serves HTTP (servlet containers), else empty */
    protected Optional<URI> httpRoot() {
        return Optional.empty();
    }

    /**
     * Whether a refused handshake is answered with an HTTP status before the upgrade (servlet containers where
     * the library's filter runs first) rather than a close code after it.
     *
     * @return by default, whether the runner has an HTTP layer
     */
    protected boolean refusesWithHttpStatus() {
        return httpRoot().isPresent();
    }

    /**
     * Why the stalled-member case cannot pass on this container yet, or empty when it must pass.
     *
     * @return the known limitation, reported as the reason the case is skipped
     */
    protected Optional<String> stalledMemberLimitation() {
        return Optional.empty();
    }

    /** @return whether the container is expected to negotiate permessage-deflate */
    protected boolean compresses() {
        return true;
    }

    /**
     * Undeploys the sample, for the last case; runners that cannot undeploy at run time keep this default, which
     * skips that case with the reason.
     *
     * @throws Exception when undeploying fails
     */
    protected void undeploy() throws Exception {
        Assumptions.abort("this runner cannot undeploy the application while the server runs");
    }

    /**
     * The names of the live threads of the JVM that runs the sample (this JVM for embedded containers).
     *
     * @return the thread names
     * @throws Exception when they cannot be listed
     */
    protected List<String> serverThreadNames() throws Exception {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }

    /** @return the sample's {@code /api/stats} where the container serves HTTP, else empty */
    private Optional<JsonObject> stats() throws Exception {
        if (httpRoot().isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(httpRoot().get().resolve("api/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET api/stats").isEqualTo(200);
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return Optional.of(reader.readObject());
        }
    }

    private static long covetStat(JsonObject stats, String name) {
        return stats.getJsonObject("covet").getJsonNumber(name).longValue();
    }

    private KitClient connect(String user) throws Exception {
        return KitClient.open(webSocketUri(), Map.of("Authorization", "Bearer " + token(user)));
    }

    private static void join(KitClient client, String room) throws Exception {
        client.send("{\"event\":\"$room.join\",\"id\":\"join-" + room + "\",\"data\":{\"room\":\"" + room + "\"}}");
        assertThat(client.next("$room.join").getString("replyTo")).isEqualTo("join-" + room);
    }

    /** Sends a request and returns its answer (reply or error), skipping pushes that arrive first. */
    private static JsonObject request(KitClient client, String event, String data) throws Exception {
        String id = "q-" + System.nanoTime();
        client.send("{\"event\":\"" + event + "\",\"id\":\"" + id + "\",\"data\":" + data + "}");
        while (true) {
            JsonObject frame = client.next();
            if (id.equals(frame.getString("replyTo", null))) {
                return frame;
            }
        }
    }

    private static JsonObject error(JsonObject frame) {
        assertThat(frame.getString("event")).isEqualTo("error");
        return frame.getJsonObject("error");
    }

    @Test
    @DisplayName("A request with an id is answered by a reply carrying that id")
    void replyCarriesTheRequestId() throws Exception {
        try (KitClient client = connect("kit-reply")) {
            client.send("{\"event\":\"$room.join\",\"id\":\"r-1\",\"data\":{\"room\":\"kit-reply\"}}");
            JsonObject reply = client.next("$room.join");
            assertThat(reply.getString("replyTo")).isEqualTo("r-1");
            assertThat(reply.getJsonObject("data").getString("room")).isEqualTo("kit-reply");
            assertThat(reply.getJsonObject("data").getInt("members")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("Malformed JSON is answered with bad_request and the connection stays open")
    void malformedJsonIsBadRequest() throws Exception {
        try (KitClient client = connect("kit-bad")) {
            client.send("{\"event\": oops");
            assertThat(error(client.next()).getString("code")).isEqualTo("bad_request");
            client.send("[1,2,3]");
            assertThat(error(client.next()).getString("code")).isEqualTo("bad_request");
            join(client, "still-open");
        }
    }

    @Test
    @DisplayName("An envelope without event is answered with bad_request to its id")
    void missingEventIsBadRequest() throws Exception {
        try (KitClient client = connect("kit-noevent")) {
            client.send("{\"id\":\"e-1\",\"data\":{}}");
            JsonObject frame = client.next();
            assertThat(frame.getString("replyTo")).isEqualTo("e-1");
            assertThat(error(frame).getString("code")).isEqualTo("bad_request");
        }
    }

    @Test
    @DisplayName("An event without a handler is answered with unknown_event")
    void unknownEvent() throws Exception {
        try (KitClient client = connect("kit-unknown")) {
            client.send("{\"event\":\"no.such.event\",\"id\":\"u-1\",\"data\":{}}");
            JsonObject frame = client.next();
            assertThat(frame.getString("replyTo")).isEqualTo("u-1");
            assertThat(error(frame).getString("code")).isEqualTo("unknown_event");
        }
    }

    @Test
    @DisplayName("Invalid data is answered with validation_failed and one detail per violated field")
    void validationFailureListsEachField() throws Exception {
        try (KitClient client = connect("kit-invalid")) {
            client.send("{\"event\":\"chat.send\",\"id\":\"v-1\",\"data\":{\"room\":\"\",\"text\":\" \"}}");
            JsonObject error = error(client.next());
            assertThat(error.getString("code")).isEqualTo("validation_failed");
            assertThat(error.getJsonArray("details").getValuesAs(JsonObject.class))
                    .extracting(d -> d.getString("path")).containsExactly("room", "text");
        }
    }

    @Test
    @DisplayName("A text over 2000 characters is refused by the sample's constraint")
    void overlongChatTextIsRefused() throws Exception {
        try (KitClient client = connect("kit-long")) {
            join(client, "kit-long");
            client.send("{\"event\":\"chat.send\",\"id\":\"l-1\",\"data\":{\"room\":\"kit-long\",\"text\":\""
                    + "x".repeat(2001) + "\"}}");
            JsonObject error = error(client.next());
            assertThat(error.getString("code")).isEqualTo("validation_failed");
            assertThat(error.getJsonArray("details").getJsonObject(0).getString("path")).isEqualTo("text");
        }
    }

    @ParameterizedTest(name = "{0} bytes, {1}")
    @CsvSource({"65537, text", "65537, binary", "4194304, text", "4194304, binary", "16777216, text",
        "16777216, binary"})
    @DisplayName("A message over covet.max-message-bytes (just over, 4 MiB, 16 MiB; text and binary) closes with 1009")
    void oversizeMessageCloses1009(int bytes, String kind) throws Exception {
        try (KitClient client = connect("kit-big")) {
            try {
                if (kind.equals("text")) {
                    String head = "{\"event\":\"chat.send\",\"data\":{\"room\":\"r\",\"text\":\"";
                    client.send(head + "y".repeat(bytes - head.length() - 3) + "\"}}");
                } else {
                    client.sendBinary(new byte[bytes]);
                }
            } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                // The server may close before the client finished writing a large message.
            }
            if (bytes > singleFrameLimit().orElse(Integer.MAX_VALUE)) {
                assertThat(client.closeCode()).as("the container's own limit, documented").isIn(1009, 1011);
            } else {
                assertThat(client.closeCode()).isEqualTo(1009);
            }
        }
    }

    /**
     * The size above which the container itself may close an oversized message with 1011 before the library sees
     * it (Tyrus and so Payara: a read larger than its incoming buffer, 4 MiB by default; see
     * {@code docs/deployment.md}); empty where every oversized message is closed with 1009.
     *
     * @return the limit in bytes, or empty
     */
    protected OptionalInt singleFrameLimit() {
        return OptionalInt.empty();
    }

    @Test
    @DisplayName("A compressed message that inflates past the limit (10 MiB of one letter) closes with 1009")
    void deflateBombCloses1009() throws Exception {
        Assumptions.assumeTrue(compresses(), "this container does not compress");
        assertThat(RawProbe.bomb(webSocketUri(), token("kit-bomb"), 10 * 1024 * 1024)).isEqualTo(1009);
    }

    @Test
    @DisplayName("A flood is answered with rate_limited and a retry hint, then closed with 4029")
    void floodIsRateLimitedThenClosed() throws Exception {
        try (KitClient client = connect("kit-flood")) {
            client.send("{\"event\":\"$room.join\",\"id\":\"f\",\"data\":{\"room\":\"kit-flood\"}}");
            for (int i = 0; i < 300 && !client.isClosed(); i++) {
                try {
                    client.send("{\"event\":\"chat.typing\",\"id\":\"t" + i + "\",\"data\":{\"room\":\"kit-flood\"}}");
                } catch (java.util.concurrent.ExecutionException closedByServer) {
                    break;
                }
            }
            JsonObject limited = error(client.next("error"));
            assertThat(limited.getString("code")).isEqualTo("rate_limited");
            assertThat(limited.getJsonNumber("retryAfterMs").longValue()).isPositive();
            assertThat(client.closeCode()).isEqualTo(4029);
        }
    }

    @Test
    @DisplayName("A peer that never answers pings is closed with 4011 (runners set a 1 s heartbeat)")
    void silentPeerIsClosed4011() throws Exception {
        assertThat(RawProbe.silent(webSocketUri(), token("kit-silent"))).isEqualTo(4011);
    }

    @Test
    @DisplayName("One connection over the per-user limit is refused (HTTP 429 or close 1013); the others keep working")
    void perUserLimit() throws Exception {
        java.util.List<KitClient> admitted = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < PER_USER_LIMIT; i++) {
                admitted.add(connect("kit-per-user"));
            }
            assertOverLimit(Map.of("Authorization", "Bearer " + token("kit-per-user")));
            join(admitted.get(0), "kit-per-user");
        } finally {
            admitted.forEach(KitClient::close);
        }
    }

    @Test
    @DisplayName("One connection over the per-IP limit (IP from a trusted proxy's X-Forwarded-For) is refused")
    void perIpLimitBehindTrustedProxy() throws Exception {
        java.util.List<KitClient> admitted = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < PER_IP_LIMIT; i++) {
                admitted.add(KitClient.open(webSocketUri(), Map.of("Authorization", "Bearer " + token("kit-ip" + i),
                        "X-Forwarded-For", "198.51.100.77")));
            }
            assertOverLimit(Map.of("Authorization", "Bearer " + token("kit-ip-over"),
                    "X-Forwarded-For", "198.51.100.77"));
            try (KitClient other = KitClient.open(webSocketUri(), Map.of("Authorization", "Bearer "
                    + token("kit-ip-other"), "X-Forwarded-For", "198.51.100.78"))) {
                join(other, "kit-ip-other");
            }
        } finally {
            admitted.forEach(KitClient::close);
        }
    }

    @Test
    @DisplayName("Bytes over covet.rate.bytes-per-second are answered with rate_limited, the message not routed")
    void byteFloodIsRateLimited() throws Exception {
        String big = "{\"event\":\"chat.typing\",\"id\":\"ID\",\"data\":{\"room\":\"r\",\"pad\":\""
                + "b".repeat(BYTES_PER_SECOND * 5 / 8) + "\"}}";
        // Four frames in one write: 160 KB against a 64 KB/s bucket. (The first large message in a JVM can take a
        // few hundred ms while the JIT warms up, refilling the bucket meanwhile; so not necessarily the second.)
        java.util.List<String> replies = RawProbe.burst(webSocketUri(), token("kit-bytes"), java.util.List.of(
                big.replace("ID", "b1"), big.replace("ID", "b2"), big.replace("ID", "b3"), big.replace("ID", "b4")), 4);
        assertThat(replies.get(0)).isEqualTo("{\"event\":\"ack\",\"replyTo\":\"b1\"}");
        assertThat(replies.subList(1, 4)).anyMatch(reply -> reply.matches(
                "\\{\"event\":\"error\",\"replyTo\":\"b[234]\",\"error\":\\{\"code\":\"rate_limited\".*"));
    }

    @Test
    @DisplayName("A member that stops reading does not hold back the room, and is closed (4008 or 4011)")
    void slowReaderIsClosedWhileOthersKeepReceiving() throws Exception {
        Assumptions.assumeTrue(stalledMemberLimitation().isEmpty(), () -> stalledMemberLimitation().orElseThrow());
        int senders = 4;
        int each = 40;
        String text = "s".repeat(1400);
        java.util.List<KitClient> members = new java.util.ArrayList<>();
        try {
            for (int s = 0; s < senders; s++) {
                KitClient member = connect("kit-fast" + s);
                join(member, "kit-slow");
                members.add(member);
            }
            int closeCode = RawProbe.stalled(webSocketUri(), token("kit-stalled"),
                    "{\"event\":\"$room.join\",\"data\":{\"room\":\"kit-slow\"}}", () -> {
                        members.get(0).next("chat.joined");
                        for (int i = 0; i < each; i++) {
                            for (KitClient member : members) {
                                member.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"kit-slow\",\"text\":\""
                                        + text + "\"}}");
                            }
                        }
                        for (int i = 0; i < senders * each; i++) {
                            assertThat(members.get(0).next("chat.message").getJsonObject("data").getString("text"))
                                    .isEqualTo(text);
                        }
                    });
            // Which protection closes it first depends on the container's socket buffers: a few hundred KB fit in
            // the kernel's send buffer, and the sample's rate limits cannot fill it faster than the heartbeat
            // notices the silence. The slow-consumer close itself (4008) is proven in-process with 20 MB.
            assertThat(closeCode).isIn(4008, 4011);
        } finally {
            members.forEach(KitClient::close);
        }
    }

    @Test
    @DisplayName("Frames a client sends after the server's close frame (4002, expired token) are never routed")
    void framesAfterTheServersCloseAreNotRouted() throws Exception {
        String room = "kit-after-close-" + System.nanoTime();
        Optional<JsonObject> before = stats();
        int code = RawProbe.afterClose(webSocketUri(), token("kit-expiring", 2), List.of(
                "{\"event\":\"$room.create\",\"data\":{\"room\":\"" + room + "\"}}",
                "{\"event\":\"$room.join\",\"data\":{\"room\":\"" + room + "-joined\"}}"));
        assertThat(code).isEqualTo(4002);
        if (before.isPresent()) {
            long baseline = covetStat(before.get(), "open");
            await("the server cleaned up the closed connection").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> covetStat(stats().orElseThrow(), "open") <= baseline);
        }
        try (KitClient observer = connect("kit-observer")) {
            assertThat(error(request(observer, "$room.info", "{\"room\":\"" + room + "\"}")).getString("code"))
                    .isEqualTo("not_found");
            assertThat(error(request(observer, "$room.info", "{\"room\":\"" + room + "-joined\"}"))
                    .getString("code")).isEqualTo("not_found");
        }
    }

    @Test
    @DisplayName("1,000 connect/disconnect cycles of one user give back every slot and every @Dependent endpoint")
    void thousandCyclesReleaseEverything() throws Exception {
        Optional<JsonObject> before = stats();
        for (int i = 0; i < 1_000; i++) {
            try (KitClient client = connect("kit-cycles")) {
                client.send("{\"event\":\"$room.join\",\"id\":\"c\",\"data\":{\"room\":\"kit-cycles\"}}");
                assertThat(client.next("$room.join").getString("replyTo")).isEqualTo("c");
            }
        }
        try (KitClient last = connect("kit-cycles")) {
            join(last, "kit-cycles-after");
        }
        if (before.isPresent()) {
            long baseline = covetStat(before.get(), "endpoints");
            await("live @Dependent endpoint instances back to " + baseline).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> covetStat(stats().orElseThrow(), "endpoints") <= baseline);
            assertThat(covetStat(stats().orElseThrow(), "opened") - covetStat(before.get(), "opened"))
                    .as("connections the server counted").isGreaterThanOrEqualTo(1_001);
        }
    }

    @Test
    @DisplayName("A binary frame for a text event is answered with bad_request")
    void binaryFrameForTextEvent() throws Exception {
        try (KitClient client = connect("kit-binary")) {
            byte[] header = "{\"event\":\"chat.send\",\"id\":\"b-1\"}".getBytes(StandardCharsets.UTF_8);
            client.sendBinary(ByteBuffer.allocate(4 + header.length + 2).putInt(header.length).put(header)
                    .put(new byte[] {1, 2}).array());
            JsonObject frame = client.next();
            assertThat(frame.getString("replyTo")).isEqualTo("b-1");
            assertThat(error(frame).getString("code")).isEqualTo("bad_request");
        }
    }

    @Test
    @DisplayName("A chat message reaches every room member once, the sender is acked, outsiders get nothing")
    void roomBroadcast() throws Exception {
        try (KitClient alice = connect("alice"); KitClient bob = connect("bob"); KitClient carol = connect("carol")) {
            join(alice, "kit-room");
            join(bob, "kit-room");
            alice.send("{\"event\":\"chat.send\",\"id\":\"m-1\",\"data\":{\"room\":\"kit-room\",\"text\":\"hi all\"}}");
            JsonObject atAlice = alice.next("chat.message");
            JsonObject atBob = bob.next("chat.message");
            for (JsonObject message : new JsonObject[] {atAlice, atBob}) {
                assertThat(message.getString("room")).isEqualTo("kit-room");
                assertThat(message.getJsonObject("data").getString("from")).isEqualTo("alice");
                assertThat(message.getJsonObject("data").getString("text")).isEqualTo("hi all");
            }
            assertThat(alice.next("ack").getString("replyTo")).isEqualTo("m-1");
            bob.assertNothingQueued();
            carol.assertNothingQueued();
        }
    }

    @Test
    @DisplayName("Text with an unpaired surrogate (\\ud800) reaches the room as sent and never breaks a connection")
    void unpairedSurrogateNeverBreaksAConnection() throws Exception {
        try (KitClient alice = connect("alice"); KitClient bob = connect("bob")) {
            join(alice, "kit-surrogate");
            join(bob, "kit-surrogate");
            alice.send("{\"event\":\"chat.send\",\"id\":\"s-1\",\"data\":{\"room\":\"kit-surrogate\","
                    + "\"text\":\"a\\ud800b\\udc00c\"}}");
            assertThat(bob.next("chat.message").getJsonObject("data").getString("text"))
                    .isEqualTo("a\ud800b\udc00c");
            assertThat(alice.next("chat.message").getJsonObject("data").getString("text"))
                    .isEqualTo("a\ud800b\udc00c");
            assertThat(alice.next("ack").getString("replyTo")).isEqualTo("s-1");
            alice.send("{\"event\":\"chat.send\",\"id\":\"s-2\",\"data\":{\"room\":\"kit-surrogate\","
                    + "\"text\":\"still here\"}}");
            assertThat(bob.next("chat.message").getJsonObject("data").getString("text")).isEqualTo("still here");
            assertThat(alice.next("chat.message").getJsonObject("data").getString("text")).isEqualTo("still here");
            assertThat(alice.next("ack").getString("replyTo")).isEqualTo("s-2");
        }
    }

    @Test
    @DisplayName("Typing notices go to the other members, not back to the sender")
    void typingGoesToOthers() throws Exception {
        try (KitClient alice = connect("alice"); KitClient bob = connect("bob")) {
            join(alice, "kit-typing");
            join(bob, "kit-typing");
            bob.send("{\"event\":\"chat.typing\",\"data\":{\"room\":\"kit-typing\"}}");
            assertThat(alice.next("chat.typing").getJsonObject("data").getString("user")).isEqualTo("bob");
            bob.assertNothingQueued();
        }
    }

    @Test
    @DisplayName("Posting to a room not joined is answered with forbidden")
    void postingOutsideARoomIsForbidden() throws Exception {
        try (KitClient client = connect("kit-outside")) {
            client.send("{\"event\":\"chat.send\",\"id\":\"f-1\",\"data\":{\"room\":\"elsewhere\",\"text\":\"x\"}}");
            assertThat(error(client.next()).getString("code")).isEqualTo("forbidden");
        }
    }

    @Test
    @DisplayName("A handshake without a token is refused before any user code (HTTP 401 or close 1008)")
    void noTokenIsRefused() throws Exception {
        assertRefused(Map.of(), 401);
    }

    @Test
    @DisplayName("A handshake with a forged token is refused")
    void forgedTokenIsRefused() throws Exception {
        String token = token("mallory");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        assertRefused(Map.of("Authorization", "Bearer " + forged), 401);
    }

    @Test
    @DisplayName("A private room admits only users its owner invited; presence counts users, not connections")
    void privateRoomInvitationAndPresence() throws Exception {
        String room = "kit-private-" + System.nanoTime() % 100_000;
        try (KitClient owner = connect("kit-owner"); KitClient bob = connect("kit-bob");
             KitClient bobAgain = connect("kit-bob")) {
            JsonObject created = request(owner, "$room.create", "{\"room\":\"" + room + "\",\"type\":\"private\"}");
            assertThat(created.getJsonObject("data").getString("role")).isEqualTo("owner");
            assertThat(error(request(bob, "$room.join", "{\"room\":\"" + room + "\"}")).getString("code"))
                    .isEqualTo("forbidden");
            request(owner, "$room.invite", "{\"room\":\"" + room + "\",\"user\":\"kit-bob\"}");
            assertThat(request(bob, "$room.join", "{\"room\":\"" + room + "\"}").getJsonObject("data")
                    .getString("role")).isEqualTo("member");
            request(bobAgain, "$room.join", "{\"room\":\"" + room + "\"}");
            JsonObject presence = request(owner, "$presence", "{\"room\":\"" + room + "\"}");
            assertThat(presence.getJsonObject("data").getJsonArray("users").toString())
                    .as("users in name order, each once").isEqualTo("[{\"role\":\"member\",\"user\":\"kit-bob\"},"
                            + "{\"role\":\"owner\",\"user\":\"kit-owner\"}]");
            request(owner, "$room.ban", "{\"room\":\"" + room + "\",\"user\":\"kit-bob\"}");
            assertThat(bob.next("$room.left").getJsonObject("data").getString("reason")).isEqualTo("banned");
            assertThat(bobAgain.next("$room.left").getJsonObject("data").getString("reason")).isEqualTo("banned");
            assertThat(error(request(bobAgain, "$room.join", "{\"room\":\"" + room + "\"}")).getString("code"))
                    .isEqualTo("forbidden");
        }
    }

    @Test
    @DisplayName("Rejoining with since and epoch delivers exactly the missed room messages, in order, then the reply")
    void rejoinRecoversMissedMessages() throws Exception {
        String room = "kit-recover-" + System.nanoTime() % 100_000;
        try (KitClient bob = connect("kit-sender")) {
            join(bob, room);
            long since;
            String epoch;
            try (KitClient alice = connect("kit-reader")) {
                JsonObject joined = request(alice, "$room.join", "{\"room\":\"" + room + "\"}");
                epoch = joined.getJsonObject("data").getString("epoch");
                bob.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"" + room + "\",\"text\":\"seen\"}}");
                since = alice.next("chat.message").getJsonNumber("offset").longValue();
            }
            for (String text : List.of("missed 1", "missed 2")) {
                bob.send("{\"event\":\"chat.send\",\"id\":\"s\",\"data\":{\"room\":\"" + room + "\",\"text\":\""
                        + text + "\"}}");
                bob.next("ack");
            }
            try (KitClient back = connect("kit-reader")) {
                back.send("{\"event\":\"$room.join\",\"id\":\"again\",\"data\":{\"room\":\"" + room
                        + "\",\"since\":" + since + ",\"epoch\":\"" + epoch + "\"}}");
                List<String> texts = new ArrayList<>();
                long previous = since;
                while (true) {
                    JsonObject frame = back.next();
                    if ("again".equals(frame.getString("replyTo", null))) {
                        assertThat(frame.getJsonObject("data").getBoolean("recovered")).isTrue();
                        break;
                    }
                    if (frame.containsKey("offset")) {
                        long offset = frame.getJsonNumber("offset").longValue();
                        assertThat(offset).as("offsets without gap or repeat").isEqualTo(previous + 1);
                        previous = offset;
                    }
                    if (frame.getString("event").equals("chat.message")) {
                        texts.add(frame.getJsonObject("data").getString("text"));
                    }
                }
                assertThat(texts).containsExactly("missed 1", "missed 2");
            }
        }
    }

    @Test
    @DisplayName("Unsigned (alg none, any casing), signature-stripped and tampered tokens are refused")
    void unsignedStrippedAndTamperedTokensAreRefused() throws Exception {
        String[] parts = token("mallory").split("\\.");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String header = base64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}")
                    .getBytes(StandardCharsets.UTF_8));
            assertRefused(Map.of("Authorization", "Bearer " + header + "." + parts[1] + "."), 401);
        }
        assertRefused(Map.of("Authorization", "Bearer " + parts[0] + "." + parts[1] + "."), 401);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"mallory\"", "\"admin\"");
        assertRefused(Map.of("Authorization", "Bearer " + parts[0] + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]), 401);
    }

    @Test
    @DisplayName("A token offered as a Sec-WebSocket-Protocol entry is accepted; the server answers the marker only")
    void subprotocolTokenIsAcceptedAndNeverEchoed() throws Exception {
        try (KitClient client = KitClient.open(webSocketUri(), Map.of(),
                List.of("covet", "covet.bearer." + token("kit-subprotocol")))) {
            assertThat(client.subprotocol()).isEqualTo("covet");
            join(client, "kit-subprotocol");
        }
    }

    @Test
    @DisplayName("A handshake from a foreign Origin is refused (HTTP 403 or close 1008)")
    void foreignOriginIsRefused() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + token("alice"), "Origin", "https://evil.example"), 403);
    }

    @Test
    @DisplayName("A valid token of a user an AuthorizationCheck forbids is refused (HTTP 403 or close 1008)")
    void authorizationCheckForbids() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + token("suspended")), 403);
    }

    @Test
    @DisplayName("permessage-deflate, when offered, is negotiated with a valid header and frames are compressed")
    void negotiatesDeflate() throws Exception {
        Assumptions.assumeTrue(compresses(), "this container does not compress");
        RawProbe.Result result = RawProbe.probe(webSocketUri(), token("kit-deflate"),
                "{\"event\":\"$room.join\",\"id\":\"d\",\"data\":{\"room\":\"" + "d".repeat(100) + "\"}}");
        assertThat(result.status()).isEqualTo(101);
        assertThat(result.extensions()).hasValueSatisfying(header -> {
            assertThat(header).startsWith("permessage-deflate");
            assertThat(header).doesNotMatch(".*client_max_window_bits\\s*(;|,|$).*");
        });
        assertThat(result.firstFrameCompressed()).isTrue();
    }

    @Test
    @DisplayName("The health endpoint answers UP and the token endpoint refuses bad names")
    void httpEndpoints() throws Exception {
        Assumptions.assumeTrue(httpRoot().isPresent(), "no HTTP layer in this container");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(httpRoot().get().resolve("health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                httpRoot().get().resolve("api/token?user=%3Cscript%3E")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(httpRoot().get()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<title>Covet chat</title>");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    @DisplayName("Undeploying closes every connection with 1001 and leaves no library thread behind")
    void undeployClosesEveryConnection() throws Exception {
        List<KitClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PER_USER_LIMIT; i++) {
                KitClient client = connect("kit-undeploy");
                clients.add(client);
                join(client, "kit-undeploy");
            }
            assertThat(serverThreadNames()).as("the library's threads while connections are open")
                    .anyMatch(name -> name.startsWith("covet-"));
            undeploy();
            for (KitClient client : clients) {
                assertThat(client.closeCode()).as("close code on undeploy").isEqualTo(1001);
            }
            await("no covet-* thread left").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> serverThreadNames().stream().noneMatch(name -> name.startsWith("covet-")));
        } finally {
            clients.forEach(KitClient::close);
        }
    }

    /**
     * Refused means: where the container has a servlet layer, the upgrade fails with the documented HTTP status;
     * elsewhere the connection is closed with 1008 before any frame.
     */
    private void assertRefused(Map<String, String> headers, int httpStatus) throws Exception {
        assertRefused(headers, httpStatus, 1008);
    }

    private void assertRefused(Map<String, String> headers, int httpStatus, int closeCode) throws Exception {
        Optional<JsonObject> before = stats();
        KitClient client;
        try {
            client = KitClient.open(webSocketUri(), headers);
        } catch (KitClient.HandshakeRefused refused) {
            assertThat(refusesWithHttpStatus()).as("refused with HTTP " + refused.status()
                    + " where a close code was expected").isTrue();
            assertThat(refused.status()).isEqualTo(httpStatus);
            assertNotObserved(before);
            return;
        }
        try (client) {
            assertThat(refusesWithHttpStatus()).as("refused with HTTP " + httpStatus + " before the upgrade").isFalse();
            assertThat(client.closeCode()).isEqualTo(closeCode);
            assertThat(client.poll(Duration.ZERO)).as("frames before the refusal").isNull();
        }
        assertNotObserved(before);
    }

    /** The application's own {@code Connected} observer did not see the refused connection. */
    private void assertNotObserved(Optional<JsonObject> before) throws Exception {
        if (before.isPresent()) {
            assertThat(stats().orElseThrow().getJsonNumber("connectedObserved").longValue())
                    .as("Connected events the application observed")
                    .isEqualTo(before.get().getJsonNumber("connectedObserved").longValue());
        }
    }

    /** Over a connection limit: HTTP 429 before the upgrade with a servlet layer, else close 1013. */
    private void assertOverLimit(Map<String, String> headers) throws Exception {
        assertRefused(headers, 429, 1013);
    }
}
