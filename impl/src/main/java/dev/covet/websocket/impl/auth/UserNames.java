package dev.covet.websocket.impl.auth;

/**
 * What a user name may be, wherever one enters: the credentials of a handshake or {@code $auth}, and the {@code user}
 * of a moderation command. Names reach logs, presence lists and Redis keys, so none carries a control character or
 * a line separator (a forged log line), none starts with {@code ~} (anonymous connections are {@code ~<connection
 * id>}: a credential naming one would share its rooms and messages), and each is bounded, as whatever a command
 * names is stored per room.
 */
public final class UserNames {

    /** Longest user name, in characters. */
    public static final int MAX_LENGTH = 256;

    private UserNames() {
    }

    /**
     * Checks a user name.
     *
     * @param user the name
     * @return null when valid, else what is wrong
     */
    public static String problem(String user) {
        if (user == null || user.isBlank()) {
            return "must not be blank";
        }
        if (user.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (user.startsWith("~")) {
            return "must not start with '~' (the names of anonymous connections)";
        }
        for (int i = 0; i < user.length(); ) {
            int c = user.codePointAt(i);
            int type = Character.getType(c);
            if (Character.isSurrogate((char) c) || type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return "must not contain control characters, line separators or unpaired surrogates (U+"
                        + String.format("%04X", c) + " at index " + i + ")";
            }
            i += Character.charCount(c);
        }
        return null;
    }
}
