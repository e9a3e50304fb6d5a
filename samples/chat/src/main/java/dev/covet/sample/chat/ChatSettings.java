package dev.covet.sample.chat;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.ServletContext;

/**
 * The sample's JWT settings: the same keys the library reads, looked up in the library's order minus
 * MicroProfile Config (init-parameter, system property, environment variable), so tokens minted by
 * {@link TokenServlet} are the ones the handshake accepts.
 */
final class ChatSettings {

    static final String SECRET = "covet.auth.jwt.secret";
    static final String ISSUER = "covet.auth.jwt.issuer";
    static final String AUDIENCE = "covet.auth.jwt.audience";

    /** Development defaults; the WAR's web.xml carries the same. Never use them in production. */
    static final Map<String, String> DEVELOPMENT = Map.of(
            SECRET, "covet-sample-chat-development-secret-change-me",
            ISSUER, "covet-sample-chat",
            AUDIENCE, "covet-sample-chat");

    private ChatSettings() {
    }

    static Optional<String> fromSystem(String key) {
        return Optional.ofNullable(System.getProperty(key)).or(() -> Optional.ofNullable(
                System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))));
    }

    static String get(ServletContext context, String key) {
        return Optional.ofNullable(context.getInitParameter(key)).or(() -> fromSystem(key))
                .orElseThrow(() -> new IllegalStateException(key + " is not set"));
    }
}
