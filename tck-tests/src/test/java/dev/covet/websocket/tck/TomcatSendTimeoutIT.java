package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.apache.catalina.startup.Tomcat;

import dev.covet.sample.chat.DevTokens;
import dev.covet.sample.chat.StatsServlet;

/**
 * {@code covet.outbound.send-timeout} over the wire on Tomcat, which is given the timeout
 * ({@code RemoteEndpoint.Async.setSendTimeout}): a member that stops reading while its room is busy is closed as a
 * slow consumer once one write to it has waited 2 s (counted once), with the heartbeat and the queue's bounds too far
 * away to be what closes it. Tomcat fails the write and closes the socket itself, so the member, reading again, finds
 * whole frames and then the {@code 4008} close frame (when the write completed as it started reading) or the end of
 * the connection, never a garbled stream (before, a close frame written behind the part of a frame Tomcat had written
 * made the client read a close code out of that frame's bytes). Its own server, since the kit's settings (a 1 s
 * heartbeat) would close the member first.
 */
class TomcatSendTimeoutIT {

    private static final Map<String, String> SETTINGS = Map.of(
            "covet.outbound.send-timeout", "2s",
            "covet.heartbeat.interval", "1h",
            "covet.heartbeat.timeout", "1h",
            "covet.outbound.max-messages", "1048576",
            "covet.outbound.max-bytes", "1073741824",
            "covet.rate.messages-per-second", "100000",
            "covet.rate.messages-per-minute", "6000000",
            "covet.rate.bytes-per-second", "1073741824");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static EmbeddedTomcat server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("tomcat");
        server = EmbeddedTomcat.start("tomcat-send-timeout", (tomcat, context) -> {
            SETTINGS.forEach(context::addParameter);
            Tomcat.addServlet(context, "stats", new StatsServlet()).addMapping("/api/stats");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aMemberWhoseWriteWaitsLongerThanTheSendTimeoutIsClosedAsASlowConsumer() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
        List<KitClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                KitClient member = KitClient.open(uri, Map.of("Authorization", "Bearer " + token("busy" + i)));
                member.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"busy\"}}");
                member.next("$room.join");
                members.add(member);
            }
            int code = RawProbe.stalled(uri, token("stalled"), "{\"event\":\"$room.join\",\"data\":{\"room\":\"busy\"}}",
                    () -> {
                        members.get(0).next("chat.joined");
                        // Up to 10 MB for a reader of 4 KB that reads nothing: more than the sockets between them
                        // hold, so that one write to it stays in flight.
                        for (int round = 0; round < 25 && slowConsumerCloses() == 0; round++) {
                            for (int i = 0; i < 50; i++) {
                                for (KitClient member : members) {
                                    member.send(randomMessage());
                                }
                            }
                        }
                        await("a write to the stalled member timed out").atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(200)).until(() -> slowConsumerCloses() > 0);
                    });
            assertThat(code).as("the stalled member's close code (1006: the connection ended without one)")
                    .isIn(4008, 1006);
            assertThat(slowConsumerCloses()).isEqualTo(1);
        } finally {
            members.forEach(KitClient::close);
        }
    }

    /** A chat message that permessage-deflate (which the raw client asks for) cannot shrink. */
    private static String randomMessage() {
        char[] text = new char[2000];
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < text.length; i++) {
            text[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return "{\"event\":\"chat.send\",\"data\":{\"room\":\"busy\",\"text\":\"" + new String(text) + "\"}}";
    }

    private static String token(String user) {
        return DevTokens.mint(user, DevTokens.developmentSettings());
    }

    private static long slowConsumerCloses() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonObject stats = Json.createReader(new java.io.StringReader(body)).readObject();
        return stats.getJsonObject("covet").getJsonNumber("slowConsumerCloses").longValue();
    }
}
