package dev.covet.websocket.impl.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every configuration key of the library; {@code docs/configuration.md} documents the same list.
 */
public final class Settings {

    private static final Set<String> JWS_ALGORITHMS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    /** Path of the WebSocket endpoint, relative to the context root. */
    public static final Setting<String> PATH = new Setting<>("covet.path", "/ws",
            "a path starting with '/'", Settings::path);
    /** Where the browser client module is served, relative to the context root; empty: not served. */
    public static final Setting<String> CLIENT_PATH = new Setting<>("covet.client.path", "/covet",
            "empty, or a path starting with '/' and not ending with '/'",
            v -> v.isBlank() ? "" : path(v.trim()).endsWith("/") ? Settings.<String>refuse() : v.trim());
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
    /** The JWS algorithms accepted; HS* need the secret, the others the JWK set. */
    public static final Setting<Set<String>> JWT_ALGORITHMS = new Setting<>("covet.auth.jwt.algorithms", "HS256",
            "a comma-separated subset of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, "
                    + "ES384, ES512", Settings::algorithms);
    /** Where the public keys for RS/PS/ES tokens are: a JWK set file, or its URL (https; http only on loopback). */
    public static final Setting<String> JWT_JWKS = new Setting<>("covet.auth.jwt.jwks", null,
            "a file path, an https:// URL, or an http:// URL on 127.0.0.1 or localhost", Settings::jwks);
    /** How long keys fetched from a JWK set URL are cached before they are fetched again. */
    public static final Setting<Duration> JWT_JWKS_CACHE = new Setting<>("covet.auth.jwt.jwks-cache", "5m",
            "a duration from 10s to 24h", v -> durationIn(v, Duration.ofSeconds(10), Duration.ofHours(24)));
    /** {@code typ} header values accepted besides an absent one. */
    public static final Setting<Set<String>> JWT_TYPES = new Setting<>("covet.auth.jwt.types", "JWT",
            "a comma-separated list of media types such as 'JWT, at+jwt'", Settings::names);
    /** A cookie carrying the JWT (for browser apps whose login sets one). */
    public static final Setting<String> AUTH_COOKIE = new Setting<>("covet.auth.cookie", null,
            "a cookie name", Settings::nonBlank);
    /** The subprotocol the server answers when a client passes its token as a Sec-WebSocket-Protocol entry. */
    public static final Setting<String> AUTH_SUBPROTOCOL = new Setting<>("covet.auth.subprotocol", "covet",
            "a subprotocol name (letters, digits, '.', '-', '_')", Settings::subprotocol);
    /** API keys: name, SHA-256 of the key (hex) and optional roles, per entry. */
    public static final Setting<List<String>> API_KEYS = new Setting<>("covet.auth.api-keys", "",
            "a comma-separated list of 'name:sha256hex' or 'name:sha256hex:role|role'", Settings::apiKeys);
    /** The header carrying an API key (the query parameter is always {@code api_key}). */
    public static final Setting<String> API_KEY_HEADER = new Setting<>("covet.auth.api-key-header", "X-API-Key",
            "a header name", Settings::nonBlank);
    /** Whether the container's authenticated user (form login, OIDC) becomes the connection's principal. */
    public static final Setting<Boolean> AUTH_CONTAINER = new Setting<>("covet.auth.container", "true",
            "'true' or 'false'", Settings::bool);
    /** Roles to ask the container about ({@code isUserInRole}) for a container-authenticated user. */
    public static final Setting<Set<String>> AUTH_CONTAINER_ROLES = new Setting<>("covet.auth.container.roles", "",
            "a comma-separated list of role names", Settings::names);
    /** Whether a handshake without credentials may authenticate with its first message ({@code $auth}). */
    public static final Setting<Boolean> AUTH_FIRST_MESSAGE = new Setting<>("covet.auth.first-message", "false",
            "'true' or 'false'", Settings::bool);
    /** How long such a connection has to send a valid {@code $auth} before it is closed with 4001. */
    public static final Setting<Duration> AUTH_FIRST_MESSAGE_TIMEOUT = new Setting<>(
            "covet.auth.first-message.timeout", "10s", "a duration from 100ms to 5m",
            v -> durationIn(v, Duration.ofMillis(100), Duration.ofMinutes(5)));
    /** RFC 7662 introspection endpoint for opaque OAuth2 access tokens. */
    public static final Setting<String> INTROSPECTION_URL = new Setting<>("covet.auth.introspection.url", null,
            "an https:// URL, or an http:// URL on 127.0.0.1 or localhost", Settings::jwks);
    /** Client id for HTTP Basic authentication at the introspection endpoint. */
    public static final Setting<String> INTROSPECTION_CLIENT_ID = new Setting<>(
            "covet.auth.introspection.client-id", null, "a non-blank string", Settings::nonBlank);
    /** Client secret for HTTP Basic authentication at the introspection endpoint. */
    public static final Setting<String> INTROSPECTION_CLIENT_SECRET = new Setting<>(
            "covet.auth.introspection.client-secret", null, "a non-blank string", Settings::nonBlank);
    /** How long an introspection answer is reused (never beyond the token's own {@code exp}). */
    public static final Setting<Duration> INTROSPECTION_CACHE_TTL = new Setting<>(
            "covet.auth.introspection.cache-ttl", "60s", "a duration from 0s to 1h",
            v -> durationIn(v, Duration.ZERO, Duration.ofHours(1)));
    /** How many introspection answers are cached at most. */
    public static final Setting<Integer> INTROSPECTION_CACHE_SIZE = new Setting<>(
            "covet.auth.introspection.cache-size", "10000", "an integer from 1 to 1000000",
            v -> intIn(v, 1, 1_000_000));
    /** What a handshake without an Origin header gets (non-browser clients send none). */
    public static final Setting<String> ORIGIN_MISSING = new Setting<>("covet.allowed-origins.missing", "allow",
            "'allow' or 'refuse'", v -> oneOf(v, "allow", "refuse"));
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
    /** Whether queued frames are written together where the container can flush without blocking (Jetty 12). */
    public static final Setting<String> OUTBOUND_BATCHING = new Setting<>("covet.outbound.batching", "auto",
            "'auto' or 'off'", v -> oneOf(v, "auto", "off"));
    /**
     * How long one outbound write may take before the connection is closed as a slow consumer (the container fails
     * the write, or the heartbeat sweep notices it); a forced close, which waits for the write in flight, waits at
     * most 5 s longer.
     */
    public static final Setting<Duration> OUTBOUND_SEND_TIMEOUT = new Setting<>("covet.outbound.send-timeout", "30s",
            "a duration from 1s to 1h", v -> durationIn(v, Duration.ofSeconds(1), Duration.ofHours(1)));
    /** How long shutdown waits for queued frames to be sent before closing connections with 1001. */
    public static final Setting<Duration> SHUTDOWN_FLUSH_TIMEOUT = new Setting<>("covet.shutdown.flush-timeout", "2s",
            "a duration from 0s to 1m", v -> durationIn(v, Duration.ZERO, Duration.ofMinutes(1)));
    /** Threads that run {@code @ObservesAsync} handlers. */
    public static final Setting<Integer> ASYNC_THREADS = new Setting<>("covet.async.threads", "8",
            "an integer from 1 to 512", v -> intIn(v, 1, 512));

    /** Whether {@code $room.join} of an unknown room creates it (temporary, server-owned). */
    public static final Setting<Boolean> ROOMS_AUTO_CREATE = new Setting<>("covet.rooms.auto-create", "true",
            "'true' or 'false'", Settings::bool);
    /** Whether authenticated clients may create rooms with {@code $room.create}. */
    public static final Setting<Boolean> ROOMS_CLIENT_CREATE = new Setting<>("covet.rooms.client-create", "true",
            "'true' or 'false'", Settings::bool);
    /** Rooms one connection may be in at once. */
    public static final Setting<Integer> ROOMS_MAX_PER_CONNECTION = new Setting<>(
            "covet.rooms.max-per-connection", "100", "an integer from 1 to 100000", v -> intIn(v, 1, 100_000));
    /** Default and upper bound of users present in one room. */
    public static final Setting<Integer> ROOMS_MAX_MEMBERS = new Setting<>("covet.rooms.max-members", "10000",
            "an integer from 1 to 10000000", v -> intIn(v, 1, 10_000_000));
    /** Most room messages a room may keep, by default or when a client creates it. */
    public static final int MAX_HISTORY_SIZE = 100_000;
    /** Default number of room messages kept per room for history and recovery. */
    public static final Setting<Integer> ROOMS_HISTORY_SIZE = new Setting<>("covet.rooms.history-size", "100",
            "an integer from 0 to " + MAX_HISTORY_SIZE, v -> intIn(v, 0, MAX_HISTORY_SIZE));
    /** How long a temporary room survives without members. */
    public static final Setting<Duration> ROOMS_TEMPORARY_GRACE = new Setting<>("covet.rooms.temporary-grace",
            "30s", "a duration from 0s to 24h", v -> durationIn(v, Duration.ZERO, Duration.ofHours(24)));

    /** Rooms with more users than this get no {@code $room.joined}/{@code $room.left} notices. */
    public static final Setting<Integer> ROOMS_PRESENCE_NOTICES_MAX = new Setting<>(
            "covet.rooms.presence-notices-max", "1000", "an integer from 0 to 10000000", v -> intIn(v, 0, 10_000_000));

    /** Rooms this node keeps at once, however they were created. */
    public static final Setting<Integer> ROOMS_MAX = new Setting<>("covet.rooms.max", "100000",
            "an integer from 1 to 10000000", v -> intIn(v, 1, 10_000_000));
    /** Rooms one user may own at once (created with {@code $room.create} or as the owner by server code). */
    public static final Setting<Integer> ROOMS_MAX_OWNED_PER_USER = new Setting<>("covet.rooms.max-owned-per-user",
            "10", "an integer from 0 to 100000", v -> intIn(v, 0, 100_000));
    /** Most messages a client may ask a room to keep with {@code $room.create}. */
    public static final Setting<Integer> ROOMS_CLIENT_HISTORY_MAX = new Setting<>("covet.rooms.client-history-max",
            "1000", "an integer from 0 to " + MAX_HISTORY_SIZE, v -> intIn(v, 0, MAX_HISTORY_SIZE));
    /** Most UTF-8 bytes of metadata keys and values a client may give a room with {@code $room.create}. */
    public static final Setting<Integer> ROOMS_METADATA_MAX_BYTES = new Setting<>("covet.rooms.metadata-max-bytes",
            "2048", "an integer from 0 to 1048576", v -> intIn(v, 0, 1 << 20));
    /** Most roles, invitations, bans, mutes and recovery floors one room keeps from clients' commands, each kind. */
    public static final Setting<Integer> ROOMS_MAX_ENTRIES = new Setting<>("covet.rooms.max-entries", "10000",
            "an integer from 1 to 10000000", v -> intIn(v, 1, 10_000_000));
    /** History kept across all rooms of this node, in characters; the oldest messages of any room go first. */
    public static final Setting<Integer> ROOMS_HISTORY_BUDGET_BYTES = new Setting<>(
            "covet.rooms.history-budget-bytes", "67108864", "an integer from 0 to 1073741824",
            v -> intIn(v, 0, 1 << 30));
    /** Invalid {@code $auth} or {@code $auth.refresh} tokens one connection may send before it is closed. */
    public static final Setting<Integer> AUTH_MAX_FAILURES = new Setting<>("covet.auth.max-failures", "3",
            "an integer from 1 to 100", v -> intIn(v, 1, 100));
    /**
     * The Redis that connects the nodes of a cluster, or the seed nodes of a Redis Cluster (comma-separated, the
     * scheme and credentials of the first apply to all); unset: one node, rooms in memory.
     */
    public static final Setting<List<URI>> CLUSTER_REDIS_URI = new Setting<>("covet.cluster.redis.uri", null,
            "a redis:// or rediss:// URI like 'redis://user:password@host:6379/0', or several seeds like "
                    + "'redis://user:password@host1:7000,host2:7000'", Settings::redisUris);
    /** Whether the Redis is one server or a Redis Cluster; {@code auto} asks the server. */
    public static final Setting<String> CLUSTER_REDIS_MODE = new Setting<>("covet.cluster.redis.mode", "auto",
            "'auto', 'standalone' or 'cluster'", v -> oneOf(v, "auto", "standalone", "cluster"));
    /** The namespace of the cluster's keys and channels in Redis. */
    public static final Setting<String> CLUSTER_PREFIX = new Setting<>("covet.cluster.prefix", "covet",
            "1 to 64 letters, digits, '.', '_' or '-'", v -> token(v, "[A-Za-z0-9._-]{1,64}"));
    /** This node's id among the cluster's nodes; unset: a random id per start. */
    public static final Setting<String> CLUSTER_NODE_ID = new Setting<>("covet.cluster.node-id", null,
            "1 to 64 letters, digits, '.', '_', ':' or '-'", v -> token(v, "[A-Za-z0-9._:-]{1,64}"));
    /** How long a Redis command or connection attempt may take before it fails. */
    public static final Setting<Duration> CLUSTER_TIMEOUT = new Setting<>("covet.cluster.timeout", "2s",
            "a duration from 100ms to 60s", v -> durationIn(v, Duration.ofMillis(100), Duration.ofSeconds(60)));
    /** How long a node may go without signalling that it lives before the others clear its presence. */
    public static final Setting<Duration> CLUSTER_NODE_TIMEOUT = new Setting<>("covet.cluster.node-timeout", "10s",
            "a duration from 1s to 10m", v -> durationIn(v, Duration.ofSeconds(1), Duration.ofMinutes(10)));
    /** The most Redis connections a node holds for commands (the subscriber has its own). */
    public static final Setting<Integer> CLUSTER_POOL_SIZE = new Setting<>("covet.cluster.pool-size", "16",
            "an integer from 1 to 1024", v -> intIn(v, 1, 1024));

    /** All keys, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(PATH, CLIENT_PATH, ALLOWED_ORIGINS, SAME_ORIGIN, ORIGIN_MISSING,
            MAX_MESSAGE_BYTES, OUTBOUND_MAX_MESSAGES, OUTBOUND_MAX_BYTES, OUTBOUND_OVERFLOW, OUTBOUND_BATCHING,
            OUTBOUND_SEND_TIMEOUT,             AUTH_ANONYMOUS, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, JWT_ALGORITHMS, JWT_JWKS, JWT_JWKS_CACHE, JWT_TYPES, JWT_CLOCK_SKEW,
            JWT_ROLES_CLAIM, AUTH_COOKIE, AUTH_SUBPROTOCOL, API_KEYS, API_KEY_HEADER, AUTH_CONTAINER,
            AUTH_CONTAINER_ROLES, AUTH_FIRST_MESSAGE, AUTH_FIRST_MESSAGE_TIMEOUT, AUTH_MAX_FAILURES, INTROSPECTION_URL,
            INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET, INTROSPECTION_CACHE_TTL, INTROSPECTION_CACHE_SIZE,
            MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP,
            MAX_CONNECTIONS_PER_USER, TRUSTED_PROXIES, RATE_MESSAGES_PER_SECOND, RATE_MESSAGES_PER_MINUTE,
            RATE_BYTES_PER_SECOND, RATE_VIOLATIONS_BEFORE_CLOSE, RATE_VIOLATION_WINDOW, HEARTBEAT_INTERVAL,
            HEARTBEAT_TIMEOUT, SHUTDOWN_FLUSH_TIMEOUT, ASYNC_THREADS, ROOMS_AUTO_CREATE, ROOMS_CLIENT_CREATE,
            ROOMS_MAX_PER_CONNECTION, ROOMS_MAX_MEMBERS, ROOMS_HISTORY_SIZE, ROOMS_TEMPORARY_GRACE,
            ROOMS_PRESENCE_NOTICES_MAX, ROOMS_MAX, ROOMS_MAX_OWNED_PER_USER, ROOMS_CLIENT_HISTORY_MAX, ROOMS_METADATA_MAX_BYTES,
            ROOMS_MAX_ENTRIES, ROOMS_HISTORY_BUDGET_BYTES, CLUSTER_REDIS_URI, CLUSTER_REDIS_MODE, CLUSTER_PREFIX, CLUSTER_NODE_ID, CLUSTER_TIMEOUT,
            CLUSTER_NODE_TIMEOUT, CLUSTER_POOL_SIZE);

    private Settings() {
    }

    private static <T> T refuse() {
        throw new IllegalArgumentException();
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

    private static List<URI> redisUris(String v) {
        List<URI> seeds = new ArrayList<>();
        for (String entry : v.split(",", -1)) {
            String seed = entry.trim();
            URI uri = URI.create(seeds.isEmpty() || seed.contains("://") ? seed
                    : seeds.get(0).getScheme() + "://" + seed);
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() == -1 && !seeds.isEmpty()) {
                throw new IllegalArgumentException();
            }
            seeds.add(uri);
        }
        return List.copyOf(seeds);
    }


    private static String token(String v, String pattern) {
        if (!v.trim().matches(pattern)) {
            throw new IllegalArgumentException();
        }
        return v.trim();
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
        if (algorithms.isEmpty() || !JWS_ALGORITHMS.containsAll(algorithms)) {
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

    private static Set<String> names(String v) {
        return Set.copyOf(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    private static String jwks(String v) {
        String value = v.trim();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return value;
        }
        if (lower.startsWith("http://")) {
            String host = URI.create(value).getHost();
            if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
                throw new IllegalArgumentException();
            }
            return value;
        }
        if (value.isEmpty() || lower.contains("://")) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static String subprotocol(String v) {
        if (!v.trim().matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException();
        }
        return v.trim();
    }

    private static List<String> apiKeys(String v) {
        List<String> entries = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (!entry.matches("[^:\\s]+:[0-9a-fA-F]{64}(:[^:\\s|]+(\\|[^:\\s|]+)*)?")) {
                String[] parts = entry.split(":", -1);
                String name = parts[0].isBlank() || parts[0].matches(".*\\s.*") ? "#" + (i + 1) : "'" + parts[0] + "'";
                String reason = parts.length < 2 ? "no ':' between the name and the SHA-256"
                        : !parts[1].matches("[0-9a-fA-F]{64}") ? "the SHA-256 must be 64 hex digits, not "
                                + parts[1].length() + " characters"
                        : parts[0].isBlank() || parts[0].matches(".*\\s.*") ? "the name is blank or has spaces"
                        : "the roles must be names separated by '|', without spaces or ':'";
                throw new IllegalArgumentException("entry " + name + ": " + reason);
            }
        }
        return entries;
    }
}
