package dev.covet.websocket.impl.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONObjectUtils;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * Opaque OAuth2 access tokens, checked at an RFC 7662 introspection endpoint, with a bounded cache of answers
 * (positive until the token's {@code exp} or the cache TTL, whichever is first; negative for the TTL). Cache keys
 * are SHA-256 hashes of the tokens, never the tokens. Thread-safe.
 */
final class Introspection {

    private static final System.Logger LOG = System.getLogger(Introspection.class.getName());

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String authorization;
    private final String audience;
    private final String issuer;
    private final String rolesClaim;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache;

    private Introspection(CovetConfig config, Clock clock) {
        this.endpoint = URI.create(config.get(Settings.INTROSPECTION_URL));
        this.authorization = config.find(Settings.INTROSPECTION_CLIENT_ID)
                .map(id -> "Basic " + Base64.getEncoder().encodeToString((id + ":"
                        + config.find(Settings.INTROSPECTION_CLIENT_SECRET).orElse(""))
                        .getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
        this.audience = config.find(Settings.JWT_AUDIENCE).orElse(null);
        this.issuer = config.find(Settings.JWT_ISSUER).orElse(null);
        this.rolesClaim = config.get(Settings.JWT_ROLES_CLAIM);
        this.ttl = config.get(Settings.INTROSPECTION_CACHE_TTL);
        this.clock = clock;
        int size = config.get(Settings.INTROSPECTION_CACHE_SIZE);
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > size;
            }
        };
    }

    /** @return the introspection client, or null when no endpoint is configured */
    static Introspection of(CovetConfig config) {
        return config.find(Settings.INTROSPECTION_URL).isPresent() ? new Introspection(config, Clock.systemUTC())
                : null;
    }

    /**
     * Asks the endpoint (or the cache) about a token.
     *
     * @param token the opaque token
     * @return who it belongs to
     * @throws InvalidCredentials when the token is not active, fails the checks, or the endpoint cannot answer
     */
    Identity verify(String token) throws InvalidCredentials {
        if (token.length() > JwtVerifier.MAX_TOKEN_CHARS) {
            throw new InvalidCredentials("token too long");
        }
        String key = HexFormat.of().formatHex(ApiKeys.sha256(token));
        Instant now = clock.instant();
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached == null || now.isAfter(cached.until())) {
            cached = ask(token, now);
            synchronized (cache) {
                cache.put(key, cached);
            }
        }
        if (cached.identity() == null) {
            throw new InvalidCredentials("token not active");
        }
        return cached.identity();
    }

    private Cached ask(String token, Instant now) throws InvalidCredentials {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&token_type_hint=access_token"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Map<String, Object> answer;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.log(System.Logger.Level.WARNING, "Introspection endpoint answered HTTP {0}", response.statusCode());
                throw new InvalidCredentials("token cannot be checked now");
            }
            answer = JSONObjectUtils.parse(response.body());
        } catch (IOException | ParseException e) {
            LOG.log(System.Logger.Level.WARNING, "Introspection endpoint failed: {0}", e.toString());
            throw new InvalidCredentials("token cannot be checked now");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidCredentials("token cannot be checked now");
        }
        Identity identity = identity(answer, now);
        Instant until = now.plus(ttl);
        if (identity != null && identity.expiresAt() != null && identity.expiresAt().isBefore(until)) {
            until = identity.expiresAt();
        }
        return new Cached(identity, until);
    }

    /** @return the identity of an active token that passes the checks, else null */
    private Identity identity(Map<String, Object> answer, Instant now) {
        if (!Boolean.TRUE.equals(answer.get("active"))) {
            return null;
        }
        Object subject = answer.get("sub") != null ? answer.get("sub") : answer.get("username");
        Instant expires = answer.get("exp") instanceof Number exp ? Instant.ofEpochSecond(exp.longValue()) : null;
        if (!(subject instanceof String user) || user.isBlank() || (expires != null && !expires.isAfter(now))
                || (issuer != null && answer.get("iss") != null && !issuer.equals(answer.get("iss")))
                || (audience != null && answer.get("aud") != null && !audiences(answer.get("aud")).contains(audience))) {
            return null;
        }
        Set<String> roles = new HashSet<>();
        Object claimed = answer.get(rolesClaim) != null ? answer.get(rolesClaim) : answer.get("scope");
        if (claimed instanceof String text) {
            roles.addAll(List.of(text.trim().split("\\s+")));
        } else if (claimed instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        }
        roles.remove("");
        return new Identity(new UserPrincipal(user, Set.copyOf(roles)), expires);
    }

    private static Set<Object> audiences(Object aud) {
        return aud instanceof List<?> list ? Set.copyOf(list) : Set.of(aud);
    }

    private record Cached(Identity identity, Instant until) {
    }
}
