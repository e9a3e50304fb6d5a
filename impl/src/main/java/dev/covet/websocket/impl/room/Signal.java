package dev.covet.websocket.impl.room;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.covet.websocket.impl.json.JsonText;

/**
 * One message between nodes on the {@link dev.covet.websocket.spi.ClusterBus}: a kind, the node that sent it,
 * arguments (an offset or a JSON array of strings, on one line) and, after a newline, a ready frame. The Redis
 * store's append script writes kind {@code m} in the same format, so that storing and publishing a room message is one
 * step.
 *
 * @param kind what it is
 * @param origin the id of the node that sent it
 * @param args the arguments
 * @param frame the frame for clients, or empty
 */
record Signal(Kind kind, String origin, String args, String frame) {

    /** The kinds of signal, each with its one-letter code. */
    enum Kind {
        /** A durable room message: args is its offset. */
        MESSAGE('m'),
        /** An ephemeral room push: args lists users not to deliver to. */
        PUSH('p'),
        /** A push to one user's connections: args is [user]. */
        USER('u'),
        /** Close one user's connections: args is [user, code, reason]. */
        DISCONNECT('x'),
        /** Remove connections from a room: args is [kind, value, reason, role of the setter or ""]. */
        REMOVE('r'),
        /** A room was deleted: args is []. */
        DELETED('d');

        final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind '" + code + "'");
        }
    }

    /** @return the message as published */
    String encode() {
        return kind.code + " " + origin + " " + args + "\n" + frame;
    }

    static Signal of(Kind kind, String origin, List<String> args, String frame) {
        JsonArrayBuilder array = JsonText.arrayBuilder();
        args.forEach(array::add);
        return new Signal(kind, origin, array.build().toString(), frame == null ? "" : frame);
    }

    /**
     * @param message a received message
     * @return the signal
     * @throws IllegalArgumentException when it is not one
     */
    static Signal parse(String message) {
        int newline = message.indexOf('\n');
        int first = message.indexOf(' ');
        int second = first < 0 ? -1 : message.indexOf(' ', first + 1);
        if (newline < 0 || first != 1 || second < 0 || second > newline) {
            throw new IllegalArgumentException("not a signal");
        }
        return new Signal(Kind.of(message.charAt(0)), message.substring(2, second),
                message.substring(second + 1, newline), message.substring(newline + 1));
    }

    /** @return the offset of a {@link Kind#MESSAGE} */
    long offset() {
        long offset = Long.parseLong(args);
        if (offset < 1) {
            throw new IllegalArgumentException("offset " + offset);
        }
        return offset;
    }

    /** @return the arguments of the other kinds, as strings */
    List<String> strings() {
        try (var reader = JsonText.reader(args)) {
            JsonArray array = reader.readArray();
            List<String> values = new ArrayList<>(array.size());
            for (JsonValue value : array) {
                if (!(value instanceof JsonString string)) {
                    throw new IllegalArgumentException("not a string: " + value);
                }
                values.add(string.getString());
            }
            return values;
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("bad arguments", e);
        }
    }
}
