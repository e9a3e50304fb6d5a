package dev.covet.websocket.impl.auth;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * Verifies JWTs strictly with Nimbus JOSE+JWT: HS* with the configured secret, RS/PS/ES with keys from the
 * configured JWK set (a file, or a URL fetched with caching, refresh and rotation), nothing else.
 *
 * <p>Strict means: only the allowed algorithms ({@code none} never); {@code exp}, {@code sub}, {@code iss} and
 * {@code aud} required; {@code iss} exact; {@code aud} containing the configured audience; {@code typ} absent or
 * one of the configured types; unknown {@code crit} headers refused; clock skew at most 60 s. Keys never come
 * from the token: {@code jwk}, {@code jku}, {@code x5u} and {@code x5c} are ignored, {@code kid} only selects
 * among the configured keys, and a key is only used with the algorithm family of its type (no HS/RS confusion).
 * Thread-safe.
 */
final class JwtVerifier {

    /** Longest token looked at; anything longer is refused unparsed. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Deepest JSON nesting accepted in a token's header or claims. */
    static final int MAX_DEPTH = 16;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;

    private JwtVerifier(DefaultJWTProcessor<SecurityContext> processor, String rolesClaim) {
        this.processor = processor;
        this.rolesClaim = rolesClaim;
    }

    /**
     * Builds the verifier, when the configuration has a secret or a JWK set.
     *
     * @param config validated configuration
     * @return the verifier, or null when JWTs are not configured
     * @throws IllegalStateException when the JWK set file cannot be read
     */
    static JwtVerifier of(CovetConfig config) {
        List<JWKSource<SecurityContext>> sources = new ArrayList<>();
        config.find(Settings.JWT_SECRET).ifPresent(secret -> sources.add(new ImmutableSecret<>(secret)));
        config.find(Settings.JWT_JWKS).ifPresent(location -> sources.add(jwks(location, config)));
        if (sources.isEmpty()) {
            return null;
        }
        JWKSource<SecurityContext> keys = sources.size() == 1 ? sources.get(0) : (selector, context) -> {
            List<JWK> all = new ArrayList<>();
            for (JWKSource<SecurityContext> source : sources) {
                all.addAll(source.get(selector, context));
            }
            return all;
        };
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        Set<JOSEObjectType> types = new HashSet<>();
        types.add(null);
        config.get(Settings.JWT_TYPES).forEach(type -> types.add(new JOSEObjectType(type)));
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        Set<JWSAlgorithm> algorithms = config.get(Settings.JWT_ALGORITHMS).stream()
                .map(JWSAlgorithm::parse).collect(Collectors.toCollection(HashSet::new));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        // HashSets, not Set.of: Nimbus versions call contains(null) on these, which immutable sets reject, and an
        // EE server may load its own Nimbus before the WAR's (Payara 6 does).
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(List.of(config.get(Settings.JWT_AUDIENCE))),
                new JWTClaimsSet.Builder().issuer(config.get(Settings.JWT_ISSUER)).build(),
                new HashSet<>(List.of("exp", "sub", "iss", "aud")),
                new HashSet<>());
        claims.setMaxClockSkew((int) config.get(Settings.JWT_CLOCK_SKEW).toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return new JwtVerifier(p, config.get(Settings.JWT_ROLES_CLAIM));
    }

    private static JWKSource<SecurityContext> jwks(String location, CovetConfig config) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            long ttl = config.get(Settings.JWT_JWKS_CACHE).toMillis();
            try {
                return JWKSourceBuilder.create(URI.create(location).toURL())
                        .cache(ttl, TimeUnit.SECONDS.toMillis(15))
                        .refreshAheadCache(false)
                        .rateLimited(Math.min(TimeUnit.SECONDS.toMillis(30), ttl / 2))
                        .retrying(true)
                        .build();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(Settings.JWT_JWKS.key() + " is not a URL", e);
            }
        }
        try {
            return new ImmutableJWKSet<>(JWKSet.load(new File(location)));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException(Settings.JWT_JWKS.key() + ": cannot read a JWK set from " + location, e);
        }
    }

    /**
     * Verifies a token.
     *
     * @param token the compact serialization
     * @return who it names, with roles and expiry
     * @throws InvalidCredentials when it does not verify, for any reason
     */
    Identity verify(String token) throws InvalidCredentials {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidCredentials("token too long");
        }
        if (nestedTooDeep(token)) {
            throw new InvalidCredentials("claims nested too deeply");
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Instant expires = claims.getExpirationTime().toInstant();
            return new Identity(new UserPrincipal(claims.getSubject(), roles(claims)), expires);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw new InvalidCredentials("invalid token (" + reason(e) + ")");
        }
    }

    /**
     * Why a token was refused, as one fixed word for the DEBUG log: never the token, and never Nimbus's message,
     * which may quote attacker-chosen claim values.
     */
    static String reason(Exception e) {
        if (e instanceof ParseException) {
            return "malformed";
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("expired")) {
            return "expired";
        }
        if (message.contains("before use time") || message.contains("nbf")) {
            return "not yet valid";
        }
        if (message.contains("signature")) {
            return "signature";
        }
        if (message.contains("missing required claims") || message.contains("required claim")) {
            return "missing claim";
        }
        if (message.contains("aud claim") || message.contains("audience")) {
            return "audience";
        }
        if (message.contains("iss claim") || message.contains("issuer")) {
            return "issuer";
        }
        if (message.contains("key")) {
            return "no key";
        }
        if (message.contains("alg") || message.contains("jws") || message.contains("typ")) {
            return "algorithm or type";
        }
        return "invalid";
    }

    /**
     * Whether the header or payload nests JSON deeper than {@link #MAX_DEPTH}: checked before any parser sees
     * them, since claims are never legitimately that deep and a parser's recursion is the attack surface.
     */
    private static boolean nestedTooDeep(String token) {
        for (String part : token.split("\\.", 3)) {
            if (part.length() > 0 && part.length() < MAX_TOKEN_CHARS && depth(part) > MAX_DEPTH) {
                return true;
            }
        }
        return false;
    }

    private static int depth(String base64Url) {
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(base64Url);
        } catch (IllegalArgumentException e) {
            return 0;
        }
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }

    /** @return whether the text has the shape of a JWS compact serialization (three dot-separated parts) */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1 && token.chars().filter(c -> c == '.').count() == 2;
    }

    private Set<String> roles(JWTClaimsSet claims) {
        Object value = claims.getClaim(rolesClaim);
        Set<String> roles = new HashSet<>();
        if (value instanceof String s) {
            roles.addAll(List.of(s.trim().split("\\s+")));
        } else if (value instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        }
        roles.remove("");
        return Set.copyOf(roles);
    }
}
