package dev.covet.websocket.impl.auth;

import java.security.Principal;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.covet.websocket.auth.Authorization;
import dev.covet.websocket.auth.AuthorizationCheck;
import dev.covet.websocket.auth.CheckResult;
import dev.covet.websocket.auth.HandshakeCheck;
import dev.covet.websocket.auth.HandshakeContext;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The handshake's authentication chain: credential sources, then verifiers, then a principal.
 *
 * <p>In order: the application's {@link HandshakeCheck} beans; a bearer token from {@code Authorization: Bearer},
 * a {@code Sec-WebSocket-Protocol} entry {@code <subprotocol>.bearer.<token>}, the {@code access_token} query
 * parameter or the configured cookie, verified as a JWT ({@link JwtVerifier}) or, when it is not one and an
 * endpoint is configured, by introspection; an API key from the configured header or {@code api_key}; the
 * container's authenticated user. A presented credential that fails refuses the handshake; it never falls
 * through to a weaker source. Without any credential: pending first-message authentication when enabled,
 * anonymous when allowed, else refused. Credentials are never logged. Thread-safe.
 */
public final class HandshakeAuthenticator {

    private static final System.Logger LOG = System.getLogger(HandshakeAuthenticator.class.getName());
    private static final String BEARER = "bearer ";

    private final List<HandshakeCheck> checks;
    private final JwtVerifier jwt;
    private final Introspection introspection;
    private final ApiKeys apiKeys;
    private final String apiKeyHeader;
    private final String cookie;
    private final String bearerProtocolPrefix;
    private final boolean container;
    private final Set<String> containerRoles;
    private final boolean firstMessage;
    private final boolean anonymousAllowed;
    private final String description;
    private final List<AuthorizationCheck> authorizations;
    /** The challenge of a 401: {@code Bearer} where tokens are accepted, else the API-key header. */
    private final String challenge;
    private final String apiKeyChallenge;
    /** What {@code $auth} presents to authorization checks: the handshake is long gone. */
    private static final RequestContext IN_BAND = new RequestContext(Map.of(), Map.of(), null, role -> false);
    private final Function<String, Optional<AuthOutcome>> inBand = this::verifyInBand;

    /**
     * Builds the chain from the configuration and the application's checks.
     *
     * @param config validated configuration
     * @param checks the application's checks, in the order they run
     */
    public HandshakeAuthenticator(CovetConfig config, List<HandshakeCheck> checks,
                                  List<AuthorizationCheck> authorizations) {
        this.checks = List.copyOf(checks);
        this.authorizations = List.copyOf(authorizations);
        this.jwt = JwtVerifier.of(config);
        this.introspection = Introspection.of(config);
        this.apiKeys = ApiKeys.of(config.get(Settings.API_KEYS));
        this.apiKeyHeader = config.get(Settings.API_KEY_HEADER);
        this.cookie = config.find(Settings.AUTH_COOKIE).orElse(null);
        this.bearerProtocolPrefix = config.get(Settings.AUTH_SUBPROTOCOL) + ".bearer.";
        this.container = config.get(Settings.AUTH_CONTAINER);
        this.containerRoles = config.get(Settings.AUTH_CONTAINER_ROLES);
        this.firstMessage = config.get(Settings.AUTH_FIRST_MESSAGE);
        this.anonymousAllowed = config.get(Settings.AUTH_ANONYMOUS);
        this.description = describe(config);
        boolean tokens = jwt != null || introspection != null;
        this.apiKeyChallenge = "ApiKey header=\"" + apiKeyHeader + "\"";
        this.challenge = tokens || apiKeys.isEmpty() ? "Bearer" : apiKeyChallenge;
    }

    /**
     * What authenticates handshakes, for the startup log (never a secret), e.g.
     * {@code "checks: BlockedUserCheck; jwt HS256 (secret); api-keys: 2; container login"}.
     *
     * @return the active mechanisms in chain order
     */
    public String description() {
        return description;
    }

    private String describe(CovetConfig config) {
        List<String> parts = new ArrayList<>();
        if (!checks.isEmpty()) {
            parts.add("checks: " + String.join(", ", checks.stream().map(c -> c.getClass().getSimpleName()
                    .replaceAll("\\$.*", "")).toList()));
        }
        if (config.find(Settings.JWT_SECRET).isPresent() || config.find(Settings.JWT_JWKS).isPresent()) {
            parts.add("jwt " + String.join(" ", new java.util.TreeSet<>(config.get(Settings.JWT_ALGORITHMS)))
                    + (config.find(Settings.JWT_JWKS).isPresent() ? " (JWK set)" : " (secret)")
                    + " issuer '" + config.get(Settings.JWT_ISSUER) + "'");
        }
        config.find(Settings.INTROSPECTION_URL).ifPresent(url -> parts.add("introspection"));
        if (!config.get(Settings.API_KEYS).isEmpty()) {
            parts.add("api-keys: " + config.get(Settings.API_KEYS).size());
        }
        if (cookie != null) {
            parts.add("cookie '" + cookie + "'");
        }
        if (container) {
            parts.add("container login");
        }
        if (firstMessage) {
            parts.add("first-message $auth");
        }
        parts.add(anonymousAllowed ? "anonymous allowed" : "anonymous refused");
        return String.join("; ", parts);
    }

    /**
     * Decides on one handshake.
     *
     * @param handshake the request
     * @return the outcome, never null
     */
    public AuthOutcome authenticate(RequestContext handshake) {
        return authorize(handshake, named(identify(handshake)));
    }

    /** Refuses an authenticated outcome whose user name is not one ({@link UserNames}). */
    private AuthOutcome named(AuthOutcome outcome) {
        String problem = outcome.principal().map(UserPrincipal::name).map(UserNames::problem).orElse(null);
        if (problem == null) {
            return outcome;
        }
        LOG.log(System.Logger.Level.DEBUG, "Refused credentials naming an invalid user: {0}", problem);
        return AuthOutcome.refused("unauthorized: invalid user name", challenge);
    }

    /**
     * Runs the {@link AuthorizationCheck}s on an admitted outcome (authenticated or anonymous; not a pending one,
     * which is checked at {@code $auth}).
     */
    private AuthOutcome authorize(HandshakeContext handshake, AuthOutcome outcome) {
        if (outcome.isRefused() || outcome.isPending() || authorizations.isEmpty()) {
            return outcome;
        }
        Optional<Principal> user = outcome.principal().map(Principal.class::cast);
        Set<String> roles = outcome.principal().map(UserPrincipal::roles).orElse(Set.of());
        for (AuthorizationCheck check : authorizations) {
            Authorization decision;
            try {
                decision = check.authorize(handshake, user, roles);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "AuthorizationCheck " + check.getClass().getName() + " failed", e);
                return AuthOutcome.forbidden("check failed");
            }
            if (decision.forbidden().isPresent()) {
                return AuthOutcome.forbidden(decision.forbidden().get());
            }
        }
        return outcome;
    }

    private AuthOutcome identify(RequestContext handshake) {
        for (HandshakeCheck check : checks) {
            CheckResult result;
            try {
                result = check.check(handshake);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "HandshakeCheck " + check.getClass().getName() + " failed", e);
                return AuthOutcome.refused("unauthorized: check failed", challenge);
            }
            if (result.refusal().isPresent()) {
                return AuthOutcome.refused("unauthorized: " + result.refusal().get(), challenge);
            }
            if (result.user().isPresent()) {
                return AuthOutcome.authenticated(new UserPrincipal(result.user().get(), result.roles()),
                        result.expiresAt().orElse(null));
            }
        }
        Optional<String> token = token(handshake);
        if (token.isPresent()) {
            return verifyToken(token.get()).map(identity -> AuthOutcome.authenticated(identity.principal(),
                    identity.expiresAt())).orElseGet(() -> AuthOutcome.refused("unauthorized: invalid token"));
        }
        Optional<String> key = handshake.header(apiKeyHeader).or(() -> handshake.queryParameter("api_key"));
        if (key.isPresent()) {
            return apiKeys.verify(key.get()).map(principal -> AuthOutcome.authenticated(principal, null))
                    .orElseGet(() -> AuthOutcome.refused("unauthorized: invalid API key", apiKeyChallenge));
        }
        if (container && handshake.containerPrincipal().isPresent()) {
            Principal user = handshake.containerPrincipal().get();
            Set<String> roles = containerRoles.stream().filter(handshake::isUserInRole).collect(Collectors.toSet());
            return AuthOutcome.authenticated(new UserPrincipal(user.getName(), Set.copyOf(roles)), null);
        }
        if (firstMessage) {
            return AuthOutcome.pending();
        }
        return anonymousAllowed ? AuthOutcome.anonymous()
                : AuthOutcome.refused("unauthorized: no credentials", challenge);
    }

    /**
     * Verifies a token presented in band ({@code $auth}, {@code $auth.refresh}).
     *
     * @param token the token
     * @return who it names, or empty when it does not verify
     */
    public Optional<AuthOutcome> verifyInBand(String token) {
        return verifyToken(token).filter(identity -> UserNames.problem(identity.principal().name()) == null)
                .map(identity -> authorize(IN_BAND, AuthOutcome.authenticated(identity.principal(),
                        identity.expiresAt())));
    }

    /** @return {@link #verifyInBand} as a function, one instance shared by every connection */
    public Function<String, Optional<AuthOutcome>> inBand() {
        return inBand;
    }

    private Optional<Identity> verifyToken(String token) {
        try {
            if (jwt != null && JwtVerifier.looksLikeJwt(token)) {
                return Optional.of(jwt.verify(token));
            }
            if (introspection != null) {
                return Optional.of(introspection.verify(token));
            }
            throw new InvalidCredentials(jwt == null ? "token authentication is not configured" : "not a JWT");
        } catch (InvalidCredentials e) {
            LOG.log(System.Logger.Level.DEBUG, "Refused a token: {0}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The first bearer token among the sources, in their documented order. */
    private Optional<String> token(HandshakeContext handshake) {
        return handshake.headers("Authorization").stream()
                .filter(v -> v.toLowerCase(Locale.ROOT).startsWith(BEARER))
                .map(v -> v.substring(BEARER.length()).trim())
                .filter(v -> !v.isEmpty())
                .findFirst()
                .or(() -> protocolToken(handshake))
                .or(() -> handshake.queryParameter("access_token").filter(v -> !v.isEmpty()))
                .or(() -> cookie == null ? Optional.empty() : handshake.cookie(cookie).filter(v -> !v.isEmpty()));
    }

    private Optional<String> protocolToken(HandshakeContext handshake) {
        return handshake.headers("Sec-WebSocket-Protocol").stream()
                .flatMap(header -> Arrays.stream(header.split(",")))
                .map(String::trim)
                .filter(entry -> entry.startsWith(bearerProtocolPrefix) && entry.length() > bearerProtocolPrefix.length())
                .map(entry -> entry.substring(bearerProtocolPrefix.length()))
                .findFirst();
    }
}
