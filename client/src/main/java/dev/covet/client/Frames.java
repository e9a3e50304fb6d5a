package dev.covet.client;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/** The protocol's text on the client side: envelopes out, error envelopes and token expiry in. */
final class Frames {

    private Frames() {
    }

    static CovetClientException error(JsonObject error) {
        if (error == null) {
            return new CovetClientException("internal", "An error without details");
        }
        List<CovetClientException.Detail> details = new ArrayList<>();
        if (error.get("details") instanceof JsonArray array) {
            for (JsonValue value : array) {
                JsonObject detail = value.asJsonObject();
                details.add(new CovetClientException.Detail(detail.getString("path", ""),
                        detail.getString("message", "")));
            }
        }
        JsonNumber retry = error.getJsonNumber("retryAfterMs");
        return new CovetClientException(error.getString("code", "internal"), error.getString("message", ""),
                details, retry == null ? -1 : retry.longValue());
    }

    static String envelope(String event, String id, String data) {
        StringBuilder json = new StringBuilder("{\"event\":").append(Json.createValue(event));
        if (id != null) {
            json.append(",\"id\":").append(Json.createValue(id));
        }
        if (data != null) {
            json.append(",\"data\":").append(data);
        }
        return json.append('}').toString();
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The {@code exp} of a JWT, in seconds, or null for anything else (never verified: the server does that). */
    static Long expiryOf(String token) {
        if (token == null || token.split("\\.").length != 3) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(new String(Base64.getUrlDecoder()
                .decode(token.split("\\.")[1]), StandardCharsets.UTF_8)))) {
            JsonValue exp = reader.readObject().get("exp");
            return exp instanceof JsonNumber number ? number.longValue() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

}
