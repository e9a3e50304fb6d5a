package dev.covet.websocket.impl.json;

/**
 * JSON text helpers for the envelope writer, which builds frames without an intermediate tree.
 */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** Appends {@code value} as a quoted JSON string. */
    static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || lone(value, i)) {
                        escape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * Escapes unpaired surrogates in JSON text (they can only stand inside strings) as {@code \\uXXXX}: still the
     * same JSON value, but text that encodes to UTF-8. Some containers (Tyrus) fail the whole connection when
     * asked to send a string that does not.
     *
     * @param json JSON text, e.g. from JSON-B
     * @return the same text when it has no unpaired surrogate, else a copy with each escaped
     */
    static String escapeLoneSurrogates(String json) {
        int first = -1;
        for (int i = 0; i < json.length(); i++) {
            if (lone(json, i)) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 16).append(json, 0, first);
        for (int i = first; i < json.length(); i++) {
            char c = json.charAt(i);
            if (lone(json, i)) {
                escape(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean lone(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    private static void escape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}
