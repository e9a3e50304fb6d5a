package dev.covet.websocket.impl.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.covet.websocket.impl.config.CovetConfig;

/**
 * Same-origin: the Origin's scheme must be the request's, its host the {@code Host} header's, and its port the
 * {@code Host}'s, a missing port on either side being the scheme's default.
 */
class OriginPolicyTest {

    private final OriginPolicy policy = new OriginPolicy(config());

    @ParameterizedTest(name = "Origin {0}, Host {1}, TLS {2}: {3}")
    @CsvSource({
        "http://example.com, example.com, false, true",
        "http://example.com:80, example.com, false, true",
        "http://example.com, example.com:80, false, true",
        "https://example.com, example.com, true, true",
        "https://example.com:443, example.com, true, true",
        "HTTP://EXAMPLE.COM, Example.com, false, true",
        "http://example.com:9999, example.com, false, false",
        "http://example.com, example.com:9999, false, false",
        "https://example.com:9999, example.com, true, false",
        "http://example.com:443, example.com, true, false",
        "https://example.com, example.com, false, false",
        "http://example.com, example.com, true, false",
        "http://example.com.evil.test, example.com, false, false",
        "http://user@example.com, example.com, false, false",
        "http://example.com/path, example.com, false, false",
        "http://[::1]:8080, [::1]:8080, false, true",
        "http://[::1], [::1]:8080, false, false",
        "null, example.com, false, false"})
    void sameOriginMeansSameSchemeHostAndPort(String origin, String host, boolean secure, boolean admitted) {
        assertThat(policy.admits(origin, List.of(host), secure)).isEqualTo(admitted);
    }

    private static CovetConfig config() {
        Map<String, String> values = Map.of("covet.auth.anonymous", "true");
        try {
            return CovetConfig.load(setting -> Optional.ofNullable(values.get(setting.key())));
        } catch (jakarta.websocket.DeploymentException e) {
            throw new IllegalStateException(e);
        }
    }
}
