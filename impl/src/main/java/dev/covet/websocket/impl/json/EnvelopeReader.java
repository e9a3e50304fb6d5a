package dev.covet.websocket.impl.json;

import java.util.Optional;

/**
 * Reads a text envelope in one pass: checks the whole frame is valid JSON (RFC 8259), decodes the top-level
 * {@code event} and {@code id} strings, and returns {@code data} as the exact text span the client sent, so that
 * JSON-B parses it once, with no intermediate tree.
 *
 * <p>Nesting deeper than {@value #MAX_DEPTH} is refused, so a frame of many brackets cannot exhaust a parser's
 * stack further down. A repeated top-level member counts by its last occurrence. Not thread-safe: one instance
 * per frame.
 */
final class EnvelopeReader {

    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private String event;
    private boolean eventPresent;
    private String id;
    private boolean idPresent;
    private boolean idIsString;
    private String data = "null";

    private EnvelopeReader(String text) {
        this.text = text;
    }

    /** Reads a frame; throws {@link BadEnvelopeException} for anything that is not a JSON object. */
    static EnvelopeReader read(String text) {
        EnvelopeReader reader = new EnvelopeReader(text);
        reader.envelope();
        return reader;
    }

    String event() {
        return eventPresent ? event : null;
    }

    boolean hasId() {
        return idPresent;
    }

    /** @return the id when it is a string, null when it is present but of another type */
    String id() {
        return idIsString ? id : null;
    }

    String data() {
        return data;
    }

    private void envelope() {
        whitespace();
        if (peek() != '{') {
            throw malformed(pos < text.length() ? "The envelope must be a JSON object" : "Malformed JSON");
        }
        pos++;
        whitespace();
        if (peek() == '}') {
            pos++;
        } else {
            members();
        }
        whitespace();
        if (pos != text.length()) {
            throw malformed("Malformed JSON");
        }
    }

    private void members() {
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw malformed("Malformed JSON");
            }
            String key = string();
            whitespace();
            expect(':');
            whitespace();
            int start = pos;
            boolean isString = peek() == '"';
            String decoded = isString ? string() : null;
            if (!isString) {
                value(1);
            }
            member(key, start, isString, decoded);
            whitespace();
            char next = peek();
            pos++;
            if (next == '}') {
                return;
            }
            if (next != ',') {
                throw malformed("Malformed JSON");
            }
        }
    }

    private void member(String key, int start, boolean isString, String decoded) {
        switch (key) {
            case "event" -> {
                eventPresent = isString;
                event = decoded;
            }
            case "id" -> {
                idPresent = !text.startsWith("null", start);
                idIsString = isString;
                id = decoded;
            }
            case "data" -> data = text.substring(start, pos);
            default -> {
                // other members are ignored, as documented
            }
        }
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        char c = peek();
        switch (c) {
            case '{' -> container('}', depth, true);
            case '[' -> container(']', depth, false);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    number();
                } else {
                    throw malformed("Malformed JSON");
                }
            }
        }
    }

    private void container(char close, int depth, boolean object) {
        pos++;
        whitespace();
        if (peek() == close) {
            pos++;
            return;
        }
        while (true) {
            whitespace();
            if (object) {
                if (peek() != '"') {
                    throw malformed("Malformed JSON");
                }
                string();
                whitespace();
                expect(':');
                whitespace();
            }
            value(depth + 1);
            whitespace();
            char next = peek();
            pos++;
            if (next == close) {
                return;
            }
            if (next != ',') {
                throw malformed("Malformed JSON");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder out = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw malformed("Malformed JSON");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String result = out == null ? text.substring(runStart, pos)
                        : out.append(text, runStart, pos).toString();
                pos++;
                return result;
            }
            if (c < 0x20) {
                throw malformed("Malformed JSON");
            }
            if (c == '\\') {
                out = out == null ? new StringBuilder() : out;
                out.append(text, runStart, pos);
                out.append(escape());
                runStart = pos;
            } else {
                pos++;
            }
        }
    }

    private char escape() {
        if (pos + 1 >= text.length()) {
            throw malformed("Malformed JSON");
        }
        char c = text.charAt(pos + 1);
        pos += 2;
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicode();
            default -> throw malformed("Malformed JSON");
        };
    }

    private char unicode() {
        if (pos + 4 > text.length()) {
            throw malformed("Malformed JSON");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw malformed("Malformed JSON");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private void number() {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (peek() == '.') {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
    }

    private void digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        if (pos == start) {
            throw malformed("Malformed JSON");
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw malformed("Malformed JSON");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw malformed("Malformed JSON");
        }
        pos++;
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** @return the current character, or NUL past the end (which no rule accepts) */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static BadEnvelopeException malformed(String message) {
        return new BadEnvelopeException(message, Optional.empty());
    }
}
