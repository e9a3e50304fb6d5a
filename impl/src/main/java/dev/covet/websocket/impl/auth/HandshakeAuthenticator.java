package dev.covet.websocket.impl.auth;

import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
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
 * Turns the handshake's credentials into an {@link AuthOutcome}: a JWT from {@code Authorization: Bearer} or the
 * {@code access_token} query parameter, verified strictly with Nimbus JOSE+JWT.
 *
 * <p>Strict means: the configured HMAC algorithms only ({@code none} and every other algorithm are refused),
 * {@code exp}, {@code sub}, {@code iss} and {@code aud} required, {@code iss} exact, {@code aud} containing the
 * configured audience, {@code typ} absent or {@code JWT}. Keys never come from token headers. Thread-safe.
 */
public final class HandshakeAuthenticator {

    private static final System.Logger LOG = System.getLogger(HandshakeAuthenticator.class.getName());
    private static final String BEARER = "bearer ";

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final boolean anonymousAllowed;
    private final String rolesClaim;

    /**
     * Builds the verifier from the configuration.
     *
     * @param config validated configuration
     */
    public HandshakeAuthenticator(CovetConfig config) {
        this.anonymousAllowed = config.get(Settings.AUTH_ANONYMOUS);
        this.rolesClaim = config.get(Settings.JWT_ROLES_CLAIM);
        this.processor = config.find(Settings.JWT_SECRET).map(secret -> processor(config, secret)).orElse(null);
    }

    private static DefaultJWTProcessor<SecurityContext> processor(CovetConfig config, byte[] secret) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        Set<JWSAlgorithm> algorithms = config.get(Settings.JWT_ALGORITHMS).stream()
                .map(JWSAlgorithm::parse).collect(Collectors.toCollection(HashSet::new));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableSecret<>(secret)));
        // HashSets, not Set.of: Nimbus versions call contains(null) on these, which immutable sets reject, and an
        // EE server may load its own Nimbus before the WAR's (Payara 6 does).
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(List.of(config.get(Settings.JWT_AUDIENCE))),
                new JWTClaimsSet.Builder().issuer(config.get(Settings.JWT_ISSUER)).build(),
                new HashSet<>(List.of("exp", "sub", "iss", "aud")),
                new HashSet<>());
        claims.setMaxClockSkew((int) config.get(Settings.JWT_CLOCK_SKEW).toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return p;
    }

    /**
     * Decides on one handshake.
     *
     * @param headers the request headers (names in any case)
     * @param parameters the query parameters
     * @return the outcome, never null
     */
    public AuthOutcome authenticate(Map<String, List<String>> headers, Map<String, List<String>> parameters) {
        Optional<String> token = bearer(headers).or(() -> first(parameters, "access_token"));
        if (token.isEmpty()) {
            return anonymousAllowed ? AuthOutcome.anonymous() : AuthOutcome.refused("unauthorized: no credentials");
        }
        if (processor == null) {
            return AuthOutcome.refused("unauthorized: token authentication is not configured");
        }
        try {
            JWTClaimsSet claims = processor.process(token.get(), null);
            return AuthOutcome.authenticated(new UserPrincipal(claims.getSubject(), roles(claims)));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            LOG.log(System.Logger.Level.DEBUG, "Refused a handshake token: {0}", e.getMessage());
            return AuthOutcome.refused("unauthorized: invalid token");
        }
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

    private static Optional<String> bearer(Map<String, List<String>> headers) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Authorization"))
                .flatMap(e -> e.getValue().stream())
                .filter(v -> v.toLowerCase(Locale.ROOT).startsWith(BEARER))
                .map(v -> v.substring(BEARER.length()).trim())
                .filter(v -> !v.isEmpty())
                .findFirst();
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
