package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit's cases for the wire protocol: envelopes, answers, errors and the text a client sends.
 */
public abstract class ProtocolCases extends KitCases {

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
}
