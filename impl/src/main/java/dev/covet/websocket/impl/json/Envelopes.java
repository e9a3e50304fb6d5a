package dev.covet.websocket.impl.json;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import dev.covet.websocket.ErrorCode;

/**
 * Reads and writes the wire protocol v1 envelopes (see {@code docs/protocol.md}); binds {@code data} with JSON-B.
 *
 * <p>Application-scoped and thread-safe: one JSON-B instance serves every connection. Frames are read by
 * {@link EnvelopeReader} and written without an intermediate tree, so each payload is parsed and written once.
 */
@ApplicationScoped
public class Envelopes {

    /** Longest accepted {@code id}, in characters. */
    static final int MAX_ID_LENGTH = 128;
    /** Longest accepted {@code event}, in characters. */
    static final int MAX_EVENT_LENGTH = 128;

    private Jsonb jsonb;

    /** Creates the JSON-B instance; called by CDI. */
    @PostConstruct
    void init() {
        jsonb = JsonbBuilder.create();
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            System.getLogger(Envelopes.class.getName()).log(System.Logger.Level.DEBUG, "Closing JSON-B failed", e);
        }
    }

    /**
     * This instance itself, for callers that hold it instead of its client proxy: the bean is application-scoped,
     * so the instance lasts as long as the deployment, and the proxy would look it up on every call (several calls
     * per frame on the message path). In a supplier, because a CDI proxy hands itself back from a method that
     * returns {@code this}.
     *
     * @return a supplier of this instance
     */
    public Supplier<Envelopes> unproxied() {
        return () -> this;
    }

    /**
     * Decodes a text frame.
     *
     * @param text the frame
     * @return the envelope with {@code data} as the JSON text the client sent ({@code null} when absent)
     * @throws BadEnvelopeException when the frame is not an envelope
     */
    public Decoded decode(String text) {
        EnvelopeReader envelope = EnvelopeReader.read(text);
        Optional<String> id = Optional.empty();
        if (envelope.hasId()) {
            String value = envelope.id();
            if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH) {
                throw new BadEnvelopeException("'id' must be a string of 1 to " + MAX_ID_LENGTH + " characters",
                        Optional.empty());
            }
            id = Optional.of(value);
        }
        String event = envelope.event();
        if (event == null || event.isBlank()) {
            throw new BadEnvelopeException("'event' is required and must be a non-blank string", id);
        }
        if (event.length() > MAX_EVENT_LENGTH) {
            throw new BadEnvelopeException("'event' is longer than " + MAX_EVENT_LENGTH + " characters", id);
        }
        return new Decoded(event, id, envelope.data());
    }

    /**
     * Decodes a binary frame: a 4-byte big-endian header length, a UTF-8 JSON header, then the raw bytes.
     *
     * @param frame the frame
     * @return the envelope with the raw bytes
     * @throws BadEnvelopeException when the frame is not a binary envelope
     */
    public DecodedBinary decodeBinary(ByteBuffer frame) {
        if (frame.remaining() < 4) {
            throw new BadEnvelopeException("A binary frame must start with a 4-byte header length", Optional.empty());
        }
        int headerLength = frame.getInt();
        if (headerLength < 2 || headerLength > frame.remaining()) {
            throw new BadEnvelopeException("Binary header length " + headerLength + " is out of range",
                    Optional.empty());
        }
        byte[] header = new byte[headerLength];
        frame.get(header);
        byte[] body = new byte[frame.remaining()];
        frame.get(body);
        Decoded decoded = decode(new String(header, StandardCharsets.UTF_8));
        return new DecodedBinary(decoded.event(), decoded.id(), body);
    }

    /**
     * Binds JSON text to a payload type.
     *
     * @param json the JSON text
     * @param type the target type
     * @return the bound value
     * @throws jakarta.json.bind.JsonbException when the text does not fit the type
     */
    public Object bind(String json, Type type) {
        return jsonb.fromJson(json, type);
    }

    /** @return {@code {"event":..,"room":..,"data":..}}; {@code room} omitted when null */
    public String push(String event, String room, Object data) {
        StringBuilder out = head(event);
        if (room != null) {
            Json.quote(out.append(",\"room\":"), room);
        }
        return data(out, data);
    }

    /**
     * A room message, {@code {"event":..,"room":..,"offset":..,"data":..}}, as the text before and after the
     * offset, which the room store fills in when it assigns it.
     *
     * @param event the event name
     * @param room the room
     * @param dataJson the data, already serialized, or null for none
     * @return the frame's two parts
     */
    public RoomMessage roomMessage(String event, String room, String dataJson) {
        String head = Json.quote(head(event).append(",\"room\":"), room).append(",\"offset\":").toString();
        String tail = dataJson == null ? "}" : ",\"data\":" + dataJson + "}";
        return new RoomMessage(head, tail);
    }

    /**
     * A room message around its offset.
     *
     * @param head the text before the offset
     * @param tail the text after it
     */
    public record RoomMessage(String head, String tail) {
    }

    /**
     * Serializes a value with JSON-B.
     *
     * @param value the value, or null
     * @return its JSON, or null for null
     */
    public String toJson(Object value) {
        return value == null ? null : Json.escapeLoneSurrogates(jsonb.toJson(value));
    }

    /** @return {@code {"event":..,"replyTo":..,"data":..}}; {@code replyTo} omitted when null */
    public String reply(String event, String replyTo, Object data) {
        StringBuilder out = head(event);
        if (replyTo != null) {
            Json.quote(out.append(",\"replyTo\":"), replyTo);
        }
        return data(out, data);
    }

    /**
     * A reply whose data is already JSON text.
     *
     * @param event the event
     * @param replyTo the request id, or null
     * @param dataJson the data as JSON text
     * @return the frame
     */
    public String replyJson(String event, String replyTo, String dataJson) {
        StringBuilder out = head(event);
        if (replyTo != null) {
            Json.quote(out.append(",\"replyTo\":"), replyTo);
        }
        return out.append(",\"data\":").append(dataJson).append('}').toString();
    }

    /**
     * The data of a {@code $history} answer, with the stored frames written as they are, not parsed again.
     *
     * @param room the room
     * @param epoch the room's epoch
     * @param offset the room's last offset
     * @param recovered whether the messages are every message after the requested offset (up to {@code more})
     * @param more whether further kept messages follow the last one given
     * @param frames the room messages, oldest first
     * @return the JSON text
     */
    public String historyData(String room, String epoch, long offset, boolean recovered, boolean more,
                              List<String> frames) {
        StringBuilder out = Json.quote(new StringBuilder(256).append("{\"epoch\":"), epoch).append(",\"messages\":[");
        for (int i = 0; i < frames.size(); i++) {
            out.append(i == 0 ? "" : ",").append(frames.get(i));
        }
        out.append("],\"more\":").append(more).append(",\"offset\":").append(offset).append(",\"recovered\":")
                .append(recovered);
        return Json.quote(out.append(",\"room\":"), room).append('}').toString();
    }

    /** @return {@code {"event":"ack","replyTo":..}} */
    public String ack(String replyTo) {
        return Json.quote(head("ack").append(",\"replyTo\":"), replyTo).append('}').toString();
    }

    /** @return an {@code error} envelope; {@code replyTo} omitted when null, {@code details} when empty */
    public String error(String replyTo, ErrorCode code, String message, List<Detail> details) {
        StringBuilder out = head("error");
        if (replyTo != null) {
            Json.quote(out.append(",\"replyTo\":"), replyTo);
        }
        Json.quote(out.append(",\"error\":{\"code\":"), code.wireName());
        Json.quote(out.append(",\"message\":"), message);
        if (!details.isEmpty()) {
            out.append(",\"details\":[");
            for (int i = 0; i < details.size(); i++) {
                Json.quote(out.append(i == 0 ? "{\"path\":" : ",{\"path\":"), details.get(i).path());
                Json.quote(out.append(",\"message\":"), details.get(i).message()).append('}');
            }
            out.append(']');
        }
        return out.append("}}").toString();
    }

    /** @return a {@code rate_limited} error carrying {@code retryAfterMs}; {@code replyTo} omitted when null */
    public String rateLimited(String replyTo, long retryAfterMs) {
        StringBuilder out = head("error");
        if (replyTo != null) {
            Json.quote(out.append(",\"replyTo\":"), replyTo);
        }
        Json.quote(out.append(",\"error\":{\"code\":"), ErrorCode.RATE_LIMITED.wireName());
        return out.append(",\"message\":\"Rate limit exceeded\",\"retryAfterMs\":").append(retryAfterMs)
                .append("}}").toString();
    }

    /** @return a binary envelope with header {@code {"event":..,"replyTo":..}} and the bytes */
    public byte[] binary(String event, String replyTo, byte[] bytes) {
        StringBuilder header = head(event);
        if (replyTo != null) {
            Json.quote(header.append(",\"replyTo\":"), replyTo);
        }
        byte[] head = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + head.length + bytes.length).putInt(head.length).put(head).put(bytes).array();
    }

    private static StringBuilder head(String event) {
        return Json.quote(new StringBuilder(96).append("{\"event\":"), event);
    }

    private String data(StringBuilder out, Object data) {
        if (data != null) {
            out.append(",\"data\":").append(Json.escapeLoneSurrogates(jsonb.toJson(data)));
        }
        return out.append('}').toString();
    }

    /**
     * A decoded text envelope.
     *
     * @param event the event name
     * @param id the correlation id
     * @param data the data as JSON text, {@code null} when absent
     */
    public record Decoded(String event, Optional<String> id, String data) {
    }

    /**
     * A decoded binary envelope.
     *
     * @param event the event name
     * @param id the correlation id
     * @param bytes the raw body
     */
    public record DecodedBinary(String event, Optional<String> id, byte[] bytes) {
    }

    /**
     * One validation problem in an error envelope.
     *
     * @param path the property path, e.g. {@code text}
     * @param message the constraint message
     */
    public record Detail(String path, String message) {
    }
}
