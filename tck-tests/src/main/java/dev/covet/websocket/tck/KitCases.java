package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every group of the kit's cases shares: the runner it runs against (the {@link CovetKit} that nests it) and
 * the helpers the cases use to talk to the sample over the wire.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class KitCases {

    static final int PER_USER_LIMIT = CovetKit.PER_USER_LIMIT;
    static final int PER_IP_LIMIT = CovetKit.PER_IP_LIMIT;
    static final int BYTES_PER_SECOND = CovetKit.BYTES_PER_SECOND;
    static final java.time.Duration HEARTBEAT_ROUND = CovetKit.HEARTBEAT_ROUND;

    /** @return the runner: where the sample runs and what the container can do */
    protected abstract CovetKit kit();

    URI webSocketUri() {
        return kit().webSocketUri();
    }

    String token(String user) throws Exception {
        return kit().token(user);
    }

    String token(String user, long seconds) throws Exception {
        return kit().token(user, seconds);
    }

    Optional<URI> httpRoot() {
        return kit().httpRoot();
    }

    boolean refusesWithHttpStatus() {
        return kit().refusesWithHttpStatus();
    }

    Optional<String> stalledMemberLimitation() {
        return kit().stalledMemberLimitation();
    }

    boolean compresses() {
        return kit().compresses();
    }

    OptionalInt singleFrameLimit() {
        return kit().singleFrameLimit();
    }

    void undeploy() throws Exception {
        kit().undeploy();
    }

    Map<String, String> serverThreads() throws Exception {
        return kit().serverThreads();
    }

    /** @return the sample's {@code /api/stats} where the container serves HTTP, else empty */
    Optional<JsonObject> stats() throws Exception {
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

    static long covetStat(JsonObject stats, String name) {
        return stats.getJsonObject("covet").getJsonNumber(name).longValue();
    }

    KitClient connect(String user) throws Exception {
        return KitClient.open(webSocketUri(), Map.of("Authorization", "Bearer " + token(user)));
    }

    static void join(KitClient client, String room) throws Exception {
        client.send("{\"event\":\"$room.join\",\"id\":\"join-" + room + "\",\"data\":{\"room\":\"" + room + "\"}}");
        assertThat(client.next("$room.join").getString("replyTo")).isEqualTo("join-" + room);
    }

    /** Sends a request and returns its answer (reply or error), skipping pushes that arrive first. */
    static JsonObject request(KitClient client, String event, String data) throws Exception {
        String id = "q-" + System.nanoTime();
        client.send("{\"event\":\"" + event + "\",\"id\":\"" + id + "\",\"data\":" + data + "}");
        while (true) {
            JsonObject frame = client.next();
            if (id.equals(frame.getString("replyTo", null))) {
                return frame;
            }
        }
    }

    static JsonObject error(JsonObject frame) {
        assertThat(frame.getString("event")).isEqualTo("error");
        return frame.getJsonObject("error");
    }

    /**
     * Refused means: where the container has a servlet layer, the upgrade fails with the documented HTTP status;
     * elsewhere the connection is closed with 1008 before any frame.
     */
    void assertRefused(Map<String, String> headers, int httpStatus) throws Exception {
        assertRefused(headers, httpStatus, 1008);
    }

    void assertRefused(Map<String, String> headers, int httpStatus, int closeCode) throws Exception {
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
    void assertNotObserved(Optional<JsonObject> before) throws Exception {
        if (before.isPresent()) {
            assertThat(stats().orElseThrow().getJsonNumber("connectedObserved").longValue())
                    .as("Connected events the application observed")
                    .isEqualTo(before.get().getJsonNumber("connectedObserved").longValue());
        }
    }

    /** Over a connection limit: HTTP 429 before the upgrade with a servlet layer, else close 1013. */
    void assertOverLimit(Map<String, String> headers) throws Exception {
        assertRefused(headers, 429, 1013);
    }
}
