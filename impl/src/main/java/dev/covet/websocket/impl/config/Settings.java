package dev.covet.websocket.impl.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every configuration key of the library; {@code docs/configuration.md} documents the same list.
 */
public final class Settings {

    private static final Set<String> HMAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");

    /** Path of the WebSocket endpoint, relative to the context root. */
    public static final Setting<String> PATH = new Setting<>("covet.path", "/ws",
            "a path starting with '/'", Settings::path);
    /** Origins allowed besides the page's own origin; exact match of scheme://host[:port]. */
    public static final Setting<List<String>> ALLOWED_ORIGINS = new Setting<>("covet.allowed-origins", "",
            "a comma-separated list of origins like 'https://app.example.com'", Settings::origins);
    /** Whether an Origin equal to the request's own host is accepted without being listed. */
    public static final Setting<Boolean> SAME_ORIGIN = new Setting<>("covet.allowed-origins.same-origin", "true",
            "'true' or 'false'", Settings::bool);
    /** Largest inbound message, text or binary, in bytes; larger ones close the connection with 1009. */
    public static final Setting<Integer> MAX_MESSAGE_BYTES = new Setting<>("covet.max-message-bytes", "65536",
            "an integer from 256 to 67108864", v -> intIn(v, 256, 64 * 1024 * 1024));
    /** Outbound queue bound, in messages, per connection. */
    public static final Setting<Integer> OUTBOUND_MAX_MESSAGES = new Setting<>("covet.outbound.max-messages",
            "1024", "an integer from 1 to 1048576", v -> intIn(v, 1, 1 << 20));
    /** Outbound queue bound, in bytes, per connection. */
    public static final Setting<Integer> OUTBOUND_MAX_BYTES = new Setting<>("covet.outbound.max-bytes",
            "4194304", "an integer from 1024 to 1073741824", v -> intIn(v, 1024, 1 << 30));
    /** Whether connections without any credential are admitted (anonymous). */
    public static final Setting<Boolean> AUTH_ANONYMOUS = new Setting<>("covet.auth.anonymous", "false",
            "'true' or 'false'", Settings::bool);
    /** The HMAC secret for JWTs, at least 32 bytes of UTF-8. */
    public static final Setting<byte[]> JWT_SECRET = new Setting<>("covet.auth.jwt.secret", null,
            "at least 32 bytes", Settings::secret);
    /** The exact {@code iss} a JWT must carry. */
    public static final Setting<String> JWT_ISSUER = new Setting<>("covet.auth.jwt.issuer", null,
            "a non-blank string", Settings::nonBlank);
    /** The {@code aud} a JWT must contain. */
    public static final Setting<String> JWT_AUDIENCE = new Setting<>("covet.auth.jwt.audience", null,
            "a non-blank string", Settings::nonBlank);
    /** The JWS algorithms accepted. */
    public static final Setting<Set<String>> JWT_ALGORITHMS = new Setting<>("covet.auth.jwt.algorithms", "HS256",
            "a comma-separated subset of HS256, HS384, HS512", Settings::algorithms);
    /** Allowed clock difference when checking {@code exp} and {@code nbf}. */
    public static final Setting<Duration> JWT_CLOCK_SKEW = new Setting<>("covet.auth.jwt.clock-skew", "30s",
            "a duration from 0s to 60s such as '30s' or 'PT30S'", v -> durationUpTo(v, Duration.ofSeconds(60)));
    /** The claim holding the principal's roles (a string array or a space-separated string). */
    public static final Setting<String> JWT_ROLES_CLAIM = new Setting<>("covet.auth.jwt.roles-claim", "roles",
            "a non-blank claim name", Settings::nonBlank);
    /** Connections this server admits at once. */
    public static final Setting<Integer> MAX_CONNECTIONS = new Setting<>("covet.connections.max", "10000",
            "an integer from 1 to 10000000", v -> intIn(v, 1, 10_000_000));
    /** Connections admitted at once from one client IP. */
    public static final Setting<Integer> MAX_CONNECTIONS_PER_IP = new Setting<>("covet.connections.max-per-ip",
            "100", "an integer from 1 to 10000000", v -> intIn(v, 1, 10_000_000));
    /** Connections admitted at once for one authenticated user. */
    public static final Setting<Integer> MAX_CONNECTIONS_PER_USER = new Setting<>("covet.connections.max-per-user",
            "20", "an integer from 1 to 10000000", v -> intIn(v, 1, 10_000_000));
    /** Proxies whose Forwarded / X-Forwarded-For headers are believed. */
    public static final Setting<Set<String>> TRUSTED_PROXIES = new Setting<>("covet.trusted-proxies", "",
            "a comma-separated list of IP addresses", Settings::addresses);
    /** Messages a connection may send per second (burst included). */
    public static final Setting<Integer> RATE_MESSAGES_PER_SECOND = new Setting<>(
            "covet.rate.messages-per-second", "50", "an integer from 1 to 1000000", v -> intIn(v, 1, 1_000_000));
    /** Messages a connection may send per minute. */
    public static final Setting<Integer> RATE_MESSAGES_PER_MINUTE = new Setting<>(
            "covet.rate.messages-per-minute", "1200", "an integer from 1 to 60000000", v -> intIn(v, 1, 60_000_000));
    /** Bytes a connection may send per second. */
    public static final Setting<Integer> RATE_BYTES_PER_SECOND = new Setting<>("covet.rate.bytes-per-second",
            "1048576", "an integer from 256 to 1073741824", v -> intIn(v, 256, 1 << 30));
    /** Rate-limit violations within the window after which the connection is closed with 4029. */
    public static final Setting<Integer> RATE_VIOLATIONS_BEFORE_CLOSE = new Setting<>(
            "covet.rate.violations-before-close", "20", "an integer from 1 to 1000000", v -> intIn(v, 1, 1_000_000));
    /** The window in which violations are counted. */
    public static final Setting<Duration> RATE_VIOLATION_WINDOW = new Setting<>("covet.rate.violation-window",
            "10s", "a duration from 1s to 1h", v -> durationIn(v, Duration.ofSeconds(1), Duration.ofHours(1)));
    /** How often the server pings a connection. */
    public static final Setting<Duration> HEARTBEAT_INTERVAL = new Setting<>("covet.heartbeat.interval", "25s",
            "a duration from 100ms to 1h", v -> durationIn(v, Duration.ofMillis(100), Duration.ofHours(1)));
    /** How long the server waits for the pong before closing with 4011. */
    public static final Setting<Duration> HEARTBEAT_TIMEOUT = new Setting<>("covet.heartbeat.timeout", "20s",
            "a duration from 100ms to 1h", v -> durationIn(v, Duration.ofMillis(100), Duration.ofHours(1)));
    /** What happens when a connection's outbound queue is full. */
    public static final Setting<String> OUTBOUND_OVERFLOW = new Setting<>("covet.outbound.overflow", "close",
            "'close' or 'drop-oldest'", v -> oneOf(v, "close", "drop-oldest"));
    /** How long shutdown waits for queued frames to be sent before closing connections with 1001. */
    public static final Setting<Duration> SHUTDOWN_FLUSH_TIMEOUT = new Setting<>("covet.shutdown.flush-timeout", "2s",
            "a duration from 0s to 1m", v -> durationIn(v, Duration.ZERO, Duration.ofMinutes(1)));
    /** Threads that run {@code @ObservesAsync} handlers. */
    public static final Setting<Integer> ASYNC_THREADS = new Setting<>("covet.async.threads", "8",
            "an integer from 1 to 512", v -> intIn(v, 1, 512));

    /** All keys, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(PATH, ALLOWED_ORIGINS, SAME_ORIGIN, MAX_MESSAGE_BYTES,
            OUTBOUND_MAX_MESSAGES, OUTBOUND_MAX_BYTES, OUTBOUND_OVERFLOW, AUTH_ANONYMOUS, JWT_SECRET, JWT_ISSUER,
            JWT_AUDIENCE, JWT_ALGORITHMS, JWT_CLOCK_SKEW, JWT_ROLES_CLAIM, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP,
            MAX_CONNECTIONS_PER_USER, TRUSTED_PROXIES, RATE_MESSAGES_PER_SECOND, RATE_MESSAGES_PER_MINUTE,
            RATE_BYTES_PER_SECOND, RATE_VIOLATIONS_BEFORE_CLOSE, RATE_VIOLATION_WINDOW, HEARTBEAT_INTERVAL,
            HEARTBEAT_TIMEOUT, SHUTDOWN_FLUSH_TIMEOUT, ASYNC_THREADS);

    private Settings() {
    }

    private static String path(String v) {
        if (!v.startsWith("/") || v.contains(" ") || v.contains("?") || v.contains("#")) {
            throw new IllegalArgumentException();
        }
        return v;
    }

    private static List<String> origins(String v) {
        List<String> origins = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String origin : origins) {
            if (!origin.matches("https?://[^/\\s*]+") ) {
                throw new IllegalArgumentException();
            }
        }
        return origins;
    }

    private static Boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        };
    }

    private static int intIn(String v, int min, int max) {
        int value = Integer.parseInt(v.trim());
        if (value < min || value > max) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static byte[] secret(String v) {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException();
        }
        return bytes;
    }

    private static String nonBlank(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException();
        }
        return v.trim();
    }

    private static Set<String> algorithms(String v) {
        Set<String> algorithms = Set.copyOf(Arrays.stream(v.split(",")).map(String::trim).toList());
        if (algorithms.isEmpty() || !HMAC_ALGORITHMS.containsAll(algorithms)) {
            throw new IllegalArgumentException();
        }
        return algorithms;
    }

    static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt")) {
            return Duration.parse(s);
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long amount = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException();
        };
    }

    private static Duration durationUpTo(String v, Duration max) {
        return durationIn(v, Duration.ZERO, max);
    }

    private static Duration durationIn(String v, Duration min, Duration max) {
        Duration d = duration(v);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException();
        }
        return d;
    }

    private static String oneOf(String v, String... allowed) {
        String value = v.trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static Set<String> addresses(String v) {
        List<String> addresses = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String address : addresses) {
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException();
            }
        }
        return Set.copyOf(addresses);
    }
}
