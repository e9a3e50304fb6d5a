package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit's cases for rooms: broadcast, typing, posting rules, private rooms, presence and recovery.
 */
public abstract class RoomCases extends KitCases {

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
    @DisplayName("Messages sent at once by several members reach each member complete, in offset order, and each"
            + " sender's in the order it sent them; idle afterwards, the members keep answering heartbeats")
    void burstsArriveCompleteAndInOrder() throws Exception {
        String room = "kit-burst-" + System.nanoTime() % 100_000;
        int senders = 3;
        int each = 30;
        List<KitClient> members = new ArrayList<>();
        try {
            for (int s = 0; s < senders; s++) {
                KitClient member = connect("kit-burst-" + s);
                join(member, room);
                members.add(member);
            }
            for (int i = 0; i < each; i++) {
                for (int s = 0; s < senders; s++) {
                    members.get(s).send("{\"event\":\"chat.send\",\"data\":{\"room\":\"" + room + "\",\"text\":\""
                            + s + ":" + i + "\"}}");
                }
            }
            for (KitClient member : members) {
                long previous = 0;
                int[] expected = new int[senders];
                for (int n = 0; n < senders * each; n++) {
                    JsonObject message = member.next("chat.message");
                    long offset = message.getJsonNumber("offset").longValue();
                    assertThat(offset).as("offsets rise").isGreaterThan(previous);
                    previous = offset;
                    String[] text = message.getJsonObject("data").getString("text").split(":");
                    int sender = Integer.parseInt(text[0]);
                    assertThat(Integer.parseInt(text[1])).as("sender " + sender + "'s order")
                            .isEqualTo(expected[sender]++);
                }
            }
            // A burst may have turned batching on for these connections (Jetty): their pings must still be written
            // while nothing else is, or the heartbeat timeout closes them. Three pings span more than the timeout.
            int[] pingsBefore = members.stream().mapToInt(KitClient::pings).toArray();
            await().atMost(HEARTBEAT_ROUND.multipliedBy(2)).until(() -> members.stream().anyMatch(KitClient::isClosed)
                    || java.util.stream.IntStream.range(0, senders)
                            .allMatch(s -> members.get(s).pings() >= pingsBefore[s] + 3));
            for (KitClient member : members) {
                int code = member.isClosed() ? member.closeCode() : 0;
                assertThat(code).as("close code of a member left idle after the burst").isZero();
            }
            members.get(0).send("{\"event\":\"chat.send\",\"data\":{\"room\":\"" + room
                    + "\",\"text\":\"after\"}}");
            for (KitClient member : members) {
                assertThat(member.next("chat.message").getJsonObject("data").getString("text")).isEqualTo("after");
            }
        } finally {
            members.forEach(KitClient::close);
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
}
