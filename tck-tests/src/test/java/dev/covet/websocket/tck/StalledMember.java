package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.json.Json;

/**
 * {@code covet.outbound.send-timeout} over the wire, on a server of its own with {@link #SETTINGS}: a member that
 * stops reading while its room is busy is closed as a slow consumer once one write to it has waited 2 s (counted
 * once), with the heartbeat and the queue's bounds too far away to be what closes it. The member, reading again,
 * finds whole frames and then the {@code 4008} close frame or the end of the connection ({@code 1006}: the
 * containers that fail the write close the socket themselves), never a garbled stream ({@link RawProbe} fails on
 * bytes that are not a frame).
 *
 * @param webSocket the sample's WebSocket endpoint
 * @param stats the sample's {@code /api/stats}
 * @param tokens mints a bearer token for a user
 */
record StalledMember(URI webSocket, URI stats, Tokens tokens) {

    /** The server's settings: a 2 s send timeout, and nothing else that could close the member first. */
    static final Map<String, String> SETTINGS = Map.of(
            "covet.outbound.send-timeout", "2s",
            "covet.heartbeat.interval", "1h",
            "covet.heartbeat.timeout", "1h",
            "covet.outbound.max-messages", "1048576",
            "covet.outbound.max-bytes", "1073741824",
            "covet.rate.messages-per-second", "100000",
            "covet.rate.messages-per-minute", "6000000",
            "covet.rate.bytes-per-second", "1073741824");
    /** @return {@link #SETTINGS} as JVM arguments, {@code -Dcovet.x=y}, for servers configured that way */
    static List<String> settingArguments() {
        return settingArguments(Map.of());
    }

    /**
     * @param overrides settings that replace some of {@link #SETTINGS}
     * @return the settings as JVM arguments, {@code -Dcovet.x=y}
     */
    static List<String> settingArguments(Map<String, String> overrides) {
        return SETTINGS.entrySet().stream().map(setting -> "-D" + setting.getKey() + "="
                + overrides.getOrDefault(setting.getKey(), setting.getValue())).toList();
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** Mints tokens. */
    @FunctionalInterface
    interface Tokens {
        String forUser(String user) throws Exception;
    }

    /** Runs the scenario and checks what the member and the server's figures show. */
    void isClosedAsASlowConsumer() throws Exception {
        List<KitClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                KitClient member = KitClient.open(webSocket,
                        Map.of("Authorization", "Bearer " + tokens.forUser("busy" + i)));
                member.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"busy\"}}");
                member.next("$room.join");
                members.add(member);
            }
            int code = RawProbe.stalled(webSocket, tokens.forUser("stalled"),
                    "{\"event\":\"$room.join\",\"data\":{\"room\":\"busy\"}}", () -> {
                        members.get(0).next("chat.joined");
                        // Up to 10 MB for a reader of 4 KB that reads nothing: more than the sockets between them
                        // hold, so that one write to it stays in flight.
                        for (int round = 0; round < 25 && slowConsumerCloses() == 0; round++) {
                            for (int i = 0; i < 50; i++) {
                                for (KitClient member : members) {
                                    member.send(randomMessage("busy"));
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

    /** A chat message to a room that permessage-deflate (which the raw client asks for) cannot shrink. */
    static String randomMessage(String room) {
        char[] text = new char[2000];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < text.length; i++) {
            text[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return "{\"event\":\"chat.send\",\"data\":{\"room\":\"" + room + "\",\"text\":\"" + new String(text)
                + "\"}}";
    }

    private long slowConsumerCloses() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stats).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(body)).readObject().getJsonObject("covet")
                .getJsonNumber("slowConsumerCloses").longValue();
    }
}
