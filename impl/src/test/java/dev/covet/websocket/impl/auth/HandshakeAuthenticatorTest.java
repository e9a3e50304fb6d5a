package dev.covet.websocket.impl.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.auth.Authorization;
import dev.covet.websocket.auth.AuthorizationCheck;
import dev.covet.websocket.impl.config.CovetConfig;

/** The decision of a handshake: the 401 challenge fits the mechanism; authorization checks see the user. */
class HandshakeAuthenticatorTest {

    private static final String KEY_HASH = "a".repeat(64);

    @Test
    void anApiKeyOnlyDeploymentChallengesForItsHeaderNotForABearerToken() {
        HandshakeAuthenticator keys = new HandshakeAuthenticator(config(Map.of("covet.auth.api-keys",
                "svc:" + KEY_HASH)), List.of(), List.of());
        assertThat(keys.authenticate(request(Map.of())).challenge()).contains("ApiKey header=\"X-API-Key\"");
        assertThat(keys.authenticate(request(Map.of("X-API-Key", List.of("wrong")))).challenge())
                .contains("ApiKey header=\"X-API-Key\"");
        HandshakeAuthenticator tokens = new HandshakeAuthenticator(config(Map.of("covet.auth.jwt.secret",
                "s".repeat(32), "covet.auth.jwt.issuer", "i", "covet.auth.jwt.audience", "a")), List.of(), List.of());
        assertThat(tokens.authenticate(request(Map.of())).challenge()).contains("Bearer");
    }

    @Test
    void anAuthorizationCheckSeesTheUserAndForbidsWith403() {
        AuthorizationCheck blocked = (handshake, user, roles) -> user.map(Principal::getName).filter("mallory"::equals)
                .isPresent() ? Authorization.forbid("account blocked") : Authorization.permit();
        HandshakeAuthenticator authenticator = new HandshakeAuthenticator(config(Map.of("covet.auth.anonymous", "true",
                "covet.auth.container", "true")), List.of(), List.of(blocked));
        AuthOutcome mallory = authenticator.authenticate(new RequestContext(Map.of(), Map.of(), () -> "mallory",
                role -> false));
        assertThat(mallory.isRefused()).isTrue();
        assertThat(mallory.refusalKind()).contains(AuthOutcome.Refusal.FORBIDDEN);
        assertThat(mallory.refusalKind().orElseThrow().status()).isEqualTo(403);
        assertThat(mallory.refusal()).contains("forbidden: account blocked");
        assertThat(mallory.statsKey()).isEqualTo("forbidden");
        assertThat(authenticator.authenticate(new RequestContext(Map.of(), Map.of(), () -> "alice", role -> false))
                .isRefused()).isFalse();
        assertThat(authenticator.authenticate(request(Map.of())).isRefused()).as("anonymous is checked too").isFalse();
    }

    private static RequestContext request(Map<String, List<String>> headers) {
        return new RequestContext(headers, Map.of(), null, role -> false);
    }

    private static CovetConfig config(Map<String, String> values) {
        try {
            return CovetConfig.load(setting -> Optional.ofNullable(values.get(setting.key())));
        } catch (jakarta.websocket.DeploymentException e) {
            throw new IllegalStateException(e);
        }
    }
}
