package dev.covet.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.JsonObject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.client.Closure;
import dev.covet.client.CovetClient;
import dev.covet.client.CovetClientBuilder;
import dev.covet.client.CovetClientException;
import dev.covet.client.Room;
import dev.covet.websocket.Connections;
import dev.covet.websocket.Rooms;

/**
 * The Java client ({@code covet-websocket-client}) against the chat sample over real sockets, through a proxy that
 * can drop the TCP connection: typed requests and structured errors, rooms that lose no message and repeat none
 * across a dropped connection and a server-side close, close codes as typed reasons (a refused token and a revoked
 * user are not retried with the same credentials), and token refresh before expiry.
 */
class JavaClientIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ChatServer chat;
    private static CuttableProxy proxy;

    /** A room message of the sample, as the client binds it. */
    public record Said(String room, String from, String text) {
    }

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("covet.auth.jwt.clock-skew", "0s");
        chat = ChatServer.start("127.0.0.1", 0);
        proxy = new CuttableProxy(chat.port());
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("covet.auth.jwt.clock-skew");
        if (proxy != null) {
            proxy.close();
        }
        if (chat != null) {
            chat.close();
        }
    }

    private static String token(String user, int seconds) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port() + "/api/token?user="
                    + user + "&seconds=" + seconds)).build(), HttpResponse.BodyHandlers.ofString()).body()
                    .replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CovetClientBuilder client(int port) {
        return CovetClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws")).initialDelay(Duration.ofMillis(200));
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    @Test
    void requestsAreTypedAndRefusalsFailWithTheServersError() throws Exception {
        try (CovetClient client = client(chat.port()).token(token("ana", 3600)).build()) {
            client.connected().get(10, TimeUnit.SECONDS);
            Room room = client.join("java").get(10, TimeUnit.SECONDS);
            assertThat(client.request("chat.send", Map.of("room", "java", "text", "hi"), Void.class)
                    .get(10, TimeUnit.SECONDS)).isNull();
            assertThatThrownBy(() -> client.request("chat.send", Map.of("room", "java", "text", ""), Void.class)
                    .get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(CovetClientException.class, e -> {
                        assertThat(e.code()).isEqualTo("validation_failed");
                        assertThat(e.details()).extracting(CovetClientException.Detail::path).containsExactly("text");
                    });
            JsonObject presence = room.presence().get(10, TimeUnit.SECONDS);
            assertThat(presence.toString()).contains("\"ana\"");
            await("the message's offset", () -> room.offset() == 1);
            assertThat(room.epoch()).isNotBlank();
        }
    }

    @Test
    void aDroppedConnectionAndAServerSideCloseLoseNoRoomMessageAndRepeatNone() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CovetClient bea = client(proxy.port()).token(token("bea", 3600)).build();
             CovetClient sam = client(chat.port()).token(token("sam", 3600)).build()) {
            // Recorded rather than polled: with full jitter the client may be back within milliseconds.
            List<CovetClient.State> beaStates = new CopyOnWriteArrayList<>();
            bea.onState(change -> beaStates.add(change.state()));
            Room room = bea.room("hop");
            room.on("chat.message", Said.class, message -> seen.add(message.offset() + ":" + message.data().text()));
            room.join().get(10, TimeUnit.SECONDS);
            sam.join("hop").get(10, TimeUnit.SECONDS);
            post(sam, 1, 3);
            await("three messages", () -> seen.size() == 3);

            proxy.cut();
            await("bea disconnected", () -> beaStates.contains(CovetClient.State.RECONNECTING));
            post(sam, 4, 6);
            await("six messages", () -> seen.size() == 6);

            CDI.current().select(Connections.class).get().byUser("bea").iterator().next()
                    .close(1012, "service restart");
            await("bea back", () -> bea.handshakes() == 3 && bea.state() == CovetClient.State.CONNECTED);
            post(sam, 7, 9);
            await("nine messages", () -> seen.size() == 9);
        }
        assertThat(seen).containsExactly("1:m1", "2:m2", "3:m3", "4:m4", "5:m5", "6:m6", "7:m7", "8:m8", "9:m9");
    }

    @Test
    void aDeletedRoomIsDroppedAndNotCreatedAfreshByTheNextReconnection() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (CovetClient dee = client(proxy.port()).token(token("dee", 3600)).build();
             CovetClient oda = client(chat.port()).token(token("oda", 3600)).build()) {
            oda.create("gone", Map.of("type", "public")).get(10, TimeUnit.SECONDS);
            Room room = dee.room("gone");
            room.on("$room.deleted", JsonObject.class, deleted -> events.add("deleted:"
                    + deleted.data().getString("reason")));
            room.onLost(error -> events.add("lost:" + error.code()));
            room.join().get(10, TimeUnit.SECONDS);
            oda.request("$room.delete", Map.of("room", "gone"), Void.class).get(10, TimeUnit.SECONDS);
            await("the deletion", () -> events.size() == 2);
            proxy.cut();
            await("dee back", () -> dee.handshakes() == 2 && dee.state() == CovetClient.State.CONNECTED);
            // The rejoin, were it sent, goes out before anything queued: this request is answered after it.
            dee.request("$room.list", Map.of(), JsonObject.class).get(10, TimeUnit.SECONDS);
        }
        assertThat(events).containsExactly("deleted:room_deleted", "lost:room_deleted");
        assertThat(CDI.current().select(Rooms.class).get().info("gone")).as("not created afresh by a rejoin")
                .isEmpty();
    }

    private static void post(CovetClient sender, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            sender.request("chat.send", Map.of("room", "hop", "text", "m" + i), Void.class).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedTokenAndARevokedUserAreNotRetriedWithTheSameCredentials() throws Exception {
        List<CovetClient.StateChange> changes = new CopyOnWriteArrayList<>();
        try (CovetClient refused = client(chat.port()).tokenSupplier(() -> "not-a-token").build()) {
            refused.onState(changes::add);
            await("closed for good", () -> refused.state() == CovetClient.State.CLOSED);
            assertThat(refused.handshakes()).isEqualTo(1);
            assertThat(changes.get(changes.size() - 1).closure().kind()).isEqualTo(Closure.Kind.AUTHENTICATION_FAILED);
            assertThatThrownBy(() -> refused.connected().get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    CovetClientException.class);
        }
        try (CovetClient rex = client(chat.port()).token(token("rex", 3600)).build()) {
            rex.connected().get(10, TimeUnit.SECONDS);
            List<CovetClient.StateChange> rexChanges = new CopyOnWriteArrayList<>();
            rex.onState(rexChanges::add);
            Connections connections = CDI.current().select(Connections.class).get();
            // The client may see its handshake complete before the server has registered the connection.
            await("rex registered", () -> connections.byUser("rex").size() == 1);
            assertThat(connections.disconnect("rex", "logged out")).isEqualTo(1);
            await("closed for good", () -> rex.state() == CovetClient.State.CLOSED);
            assertThat(rexChanges).last().satisfies(change -> {
                assertThat(change.closure().code()).isEqualTo(4003);
                assertThat(change.closure().kind()).isEqualTo(Closure.Kind.REVOKED);
            });
            assertThat(rex.handshakes()).isEqualTo(1);
        }
    }

    @Test
    void theTokenIsRefreshedBeforeItExpiresAndAnExpiredConnectionComesBackWithAFreshOne() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        long start = System.nanoTime();
        try (CovetClient tia = client(chat.port()).tokenSupplier(() -> {
            issued.incrementAndGet();
            return token("tia", 4);
        }).refreshBefore(Duration.ofSeconds(3)).build()) {
            tia.connected().get(10, TimeUnit.SECONDS);
            // Each token lives 4 s and is refreshed 3 s before expiry, about once a second: once eight fresh tokens
            // went out, the first one expired and the server's expiry sweep (every 5 s) ran past it.
            await("eight refreshes", () -> issued.get() >= 9);
            assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.SECONDS.toNanos(7));
            assertThat(tia.state()).isEqualTo(CovetClient.State.CONNECTED);
            assertThat(tia.handshakes()).isEqualTo(1);
        }
        List<CovetClient.StateChange> changes = new CopyOnWriteArrayList<>();
        try (CovetClient tom = client(chat.port()).token(token("tom", 2)).tokenSupplier(() -> token("tom", 3600))
                .refreshBefore(Duration.ofSeconds(-3600)).build()) {
            tom.onState(changes::add);
            tom.connected().get(10, TimeUnit.SECONDS);
            await("reconnected after expiry", () -> tom.handshakes() == 2 && tom.state() == CovetClient.State.CONNECTED);
            assertThat(changes).anySatisfy(change -> assertThat(change.closure() == null ? null
                    : change.closure().kind()).isEqualTo(Closure.Kind.CREDENTIALS_EXPIRED));
        }
    }
}
