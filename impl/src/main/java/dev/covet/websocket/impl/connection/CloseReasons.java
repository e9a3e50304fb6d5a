package dev.covet.websocket.impl.connection;

import jakarta.websocket.CloseReason;

/**
 * Close reasons that every container accepts: RFC 6455 allows 123 bytes of UTF-8, and
 * {@code new CloseReason} throws beyond that, which would leave a connection open that was meant to close.
 */
public final class CloseReasons {

    /** Most UTF-8 bytes of a close reason. */
    public static final int MAX_BYTES = 123;

    private CloseReasons() {
    }

    /**
     * A close reason that never throws: the reason cut at a code-point boundary to at most 123 UTF-8 bytes
     * (ending in {@code ...} when cut), an unknown code replaced by 1011.
     *
     * @param code the close code
     * @param reason the reason, or null
     * @return the close reason
     */
    public static CloseReason of(int code, String reason) {
        CloseReason.CloseCode closeCode;
        try {
            closeCode = CloseReason.CloseCodes.getCloseCode(code);
        } catch (IllegalArgumentException e) {
            closeCode = CloseReason.CloseCodes.UNEXPECTED_CONDITION;
        }
        return new CloseReason(closeCode, truncate(reason));
    }

    /**
     * @param reason the reason, or null
     * @return the reason with unpaired surrogates replaced by U+FFFD, cut at a code-point boundary so that it is
     *     at most 123 UTF-8 bytes
     */
    public static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(reason.length(), MAX_BYTES));
        int bytes = 0;
        int cut = -1;
        for (int i = 0; i < reason.length(); ) {
            int c = reason.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isSurrogate((char) c)) {
                c = 0xFFFD;
            }
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (cut < 0 && bytes > MAX_BYTES - 3) {
                cut = out.length();
            }
            if (bytes > MAX_BYTES) {
                return out.substring(0, cut) + "...";
            }
            out.appendCodePoint(c);
        }
        return out.toString();
    }
}
