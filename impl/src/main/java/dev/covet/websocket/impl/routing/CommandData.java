package dev.covet.websocket.impl.routing;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.covet.websocket.impl.json.JsonText;

/**
 * The {@code data} object of a built-in command, read strictly: a field of the wrong type, a fraction where an
 * integer is expected, or a number outside its range is a {@link Invalid} naming the field, never a silently
 * wrapped or rounded value (JSON-B would bind {@code 4294967297} to the {@code int} 1).
 */
final class CommandData {

    /** No fields: what a command whose fields are all optional reads when {@code data} is absent. */
    static final CommandData NONE = new CommandData(JsonValue.EMPTY_JSON_OBJECT);

    private final JsonObject data;

    private CommandData(JsonObject data) {
        this.data = data;
    }

    /**
     * @param json the {@code data} JSON text, {@code "null"} when absent
     * @return the fields, or null when {@code data} is absent or not an object
     */
    static CommandData parse(String json) {
        if (json == null || "null".equals(json)) {
            return null;
        }
        try (JsonReader reader = JsonText.reader(json)) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object ? new CommandData(object) : null;
        } catch (JsonException e) {
            return null;
        }
    }

    /** @return the string, or null when absent or JSON null */
    String string(String field) {
        JsonValue value = data.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new Invalid(field, "must be a string");
    }

    /** @return the integer, or null when absent or JSON null */
    Long integer(String field, long min, long max) {
        JsonValue value = data.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        String expected = "must be an integer from " + min + " to " + max;
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new Invalid(field, expected);
        }
        BigInteger exact;
        try {
            exact = number.bigDecimalValue().toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new Invalid(field, expected);
        }
        if (exact.compareTo(BigInteger.valueOf(min)) < 0 || exact.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new Invalid(field, expected);
        }
        return exact.longValueExact();
    }

    /** @return the object of strings, or null when absent or JSON null */
    Map<String, String> strings(String field) {
        JsonValue value = data.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            throw new Invalid(field, "must be an object of strings");
        }
        Map<String, String> strings = new LinkedHashMap<>();
        object.forEach((key, entry) -> {
            if (!(entry instanceof JsonString s)) {
                throw new Invalid(field + "." + key, "must be a string");
            }
            strings.put(key, s.getString());
        });
        return strings;
    }

    /** A field of the command data that is missing or wrong: answered with {@code validation_failed} and a detail. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String path;
        final String problem;

        Invalid(String path, String problem) {
            super(path + " " + problem, null, false, false);
            this.path = path;
            this.problem = problem;
        }
    }
}
