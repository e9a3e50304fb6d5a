package dev.covet.websocket.impl.config;

import java.util.function.Function;

/**
 * One configuration key, declared once with its type (the parser), default and meaning.
 *
 * @param key the key, e.g. {@code covet.path}
 * @param defaultValue the default as text, or null when the key has no default
 * @param expected what a valid value looks like, quoted in error messages
 * @param parser turns text into a value; throws {@link IllegalArgumentException} for an invalid one
 * @param <T> the value type
 */
public record Setting<T>(String key, String defaultValue, String expected, Function<String, T> parser) {

    /**
     * The environment variable that sets this key: upper case, with {@code .} and {@code -} as {@code _}.
     *
     * @return e.g. {@code COVET_MAX_MESSAGE_BYTES} for {@code covet.max-message-bytes}
     */
    public String environmentName() {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
