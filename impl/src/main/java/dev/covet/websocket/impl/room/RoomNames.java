package dev.covet.websocket.impl.room;

import java.text.Normalizer;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.room.RoomException;

/**
 * What a room name may be. Names are shown to people, so two rooms must never look alike: no control or format
 * characters (bidi overrides, zero-width joiners), no unpaired surrogates (they reach clients as {@code ?}), no
 * line separators, and only the composed (NFC) form of accented letters.
 */
public final class RoomNames {

    /** Longest room name, in characters. */
    public static final int MAX_LENGTH = 128;

    private RoomNames() {
    }

    /**
     * Checks a room name.
     *
     * @param room the name
     * @return null when valid, else what is wrong
     */
    public static String problem(String room) {
        if (room == null || room.isBlank()) {
            return "must not be blank";
        }
        if (room.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (room.startsWith("$")) {
            return "must not start with '$'";
        }
        for (int i = 0; i < room.length(); ) {
            int c = room.codePointAt(i);
            if (Character.isSurrogate((char) c)) {
                return "must not contain an unpaired surrogate (at index " + i + ")";
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE) {
                return "must not contain control, format, unassigned or private-use characters (U+"
                        + String.format("%04X", c) + " at index " + i + ")";
            }
            i += Character.charCount(c);
        }
        if (!Normalizer.isNormalized(room, Normalizer.Form.NFC)) {
            return "must be in Unicode normalization form NFC";
        }
        return null;
    }

    /**
     * @param room the name
     * @throws RoomException {@code validation_failed} when the name is not valid
     */
    static void check(String room) {
        String problem = problem(room);
        if (problem != null) {
            throw new RoomException(ErrorCode.VALIDATION_FAILED, "Room name " + problem);
        }
    }
}
