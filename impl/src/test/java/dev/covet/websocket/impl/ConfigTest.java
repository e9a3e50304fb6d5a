package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.websocket.DeploymentException;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Setting;
import dev.covet.websocket.impl.config.Settings;

class ConfigTest {

    @Test
    void reportsEveryInvalidValueInOneFailureWithoutShowingTheSecret() {
        Map<String, String> values = Map.of(
                "covet.path", "ws",
                "covet.max-message-bytes", "lots",
                "covet.auth.jwt.secret", "short-secret",
                "covet.auth.jwt.algorithms", "HS256,none");
        assertThatThrownBy(() -> CovetConfig.load(ConfigSource.standard(values::get)))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("(6 problems)")
                .hasMessageContaining("covet.path is 'ws'; expected a path starting with '/'")
                .hasMessageContaining("covet.max-message-bytes is 'lots'; expected an integer from 256 to 67108864")
                .hasMessageContaining("covet.auth.jwt.secret is (secret not shown); expected at least 32 bytes")
                .hasMessageContaining("covet.auth.jwt.algorithms is 'HS256,none'")
                .hasMessageContaining("covet.auth.jwt.issuer is missing")
                .hasMessageContaining("covet.auth.jwt.audience is missing")
                .hasMessageNotContaining("no authentication is configured")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void requiresIssuerAndAudienceWithASecret() {
        Map<String, String> values = Map.of("covet.auth.jwt.secret", TestServer.SECRET);
        assertThatThrownBy(() -> CovetConfig.load(ConfigSource.standard(values::get)))
                .hasMessageContaining("(2 problems)")
                .hasMessageContaining("covet.auth.jwt.issuer is missing")
                .hasMessageContaining("covet.auth.jwt.audience is missing");
    }

    @Test
    void appliesDefaultsAndParsesDurations() throws Exception {
        Map<String, String> values = Map.of("covet.auth.anonymous", "true", "covet.auth.jwt.clock-skew", "PT45S");
        CovetConfig config = CovetConfig.load(ConfigSource.standard(values::get));
        assertThat(config.get(Settings.PATH)).isEqualTo("/ws");
        assertThat(config.get(Settings.MAX_MESSAGE_BYTES)).isEqualTo(65536);
        assertThat(config.get(Settings.JWT_CLOCK_SKEW)).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.find(Settings.JWT_SECRET)).isEmpty();
    }

    @Test
    void initParametersTakePrecedenceOverSystemPropertiesAsDocumented() throws Exception {
        System.setProperty("covet.path", "/from-property");
        try {
            Map<String, String> values = Map.of("covet.auth.anonymous", "true", "covet.path", "/from-init-param");
            assertThat(CovetConfig.load(ConfigSource.standard(values::get)).get(Settings.PATH))
                    .isEqualTo("/from-init-param");
            Map<String, String> none = Map.of("covet.auth.anonymous", "true");
            assertThat(CovetConfig.load(ConfigSource.standard(none::get)).get(Settings.PATH))
                    .isEqualTo("/from-property");
        } finally {
            System.clearProperty("covet.path");
        }
    }

    @Test
    void documentsEveryKeyWithItsDefault() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("..", "docs", "configuration.md")).stream()
                .filter(line -> line.startsWith("| `covet.")).toList();
        assertThat(rows).hasSameSizeAs(Settings.ALL);
        for (Setting<?> setting : Settings.ALL) {
            assertThat(rows).filteredOn(row -> row.startsWith("| `" + setting.key() + "` |")).singleElement()
                    .satisfies(row -> {
                        String defaultValue = setting.defaultValue();
                        String documented = row.split("\\|")[3].trim();
                        assertThat(documented).as(setting.key()).isEqualTo(defaultValue == null ? "*(none)*"
                                : defaultValue.isEmpty() ? "*(empty)*" : "`" + defaultValue + "`");
                    });
        }
    }

    @Test
    void readsOneRedisOrTheSeedsOfARedisClusterAndRefusesAnythingElseWithoutShowingIt() throws Exception {
        Map<String, String> seeds = Map.of("covet.auth.anonymous", "true", "covet.cluster.redis.uri",
                "rediss://app:pw@10.0.0.1:7000, 10.0.0.2:7001,redis://10.0.0.3:7002");
        assertThat(CovetConfig.load(ConfigSource.standard(seeds::get)).get(Settings.CLUSTER_REDIS_URI))
                .extracting(uri -> uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort())
                .containsExactly("rediss://10.0.0.1:7000", "rediss://10.0.0.2:7001", "redis://10.0.0.3:7002");
        for (String invalid : List.of("http://pw@host:6379", "redis://a:1,host-without-port", "redis://a:1,,b:2",
                "redis://:hunter2@", "redis://a:1,http://b:2")) {
            Map<String, String> values = Map.of("covet.auth.anonymous", "true", "covet.cluster.redis.uri", invalid,
                    "covet.cluster.redis.mode", "sharded");
            assertThatThrownBy(() -> CovetConfig.load(ConfigSource.standard(values::get))).as(invalid)
                    .hasMessageContaining("covet.cluster.redis.uri")
                    .hasMessageContaining("covet.cluster.redis.mode is 'sharded'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain(invalid));
        }
    }

    @Test
    void namesEnvironmentVariablesAfterKeys() {
        assertThat(Settings.PATH.environmentName()).isEqualTo("COVET_PATH");
        assertThat(Settings.MAX_MESSAGE_BYTES.environmentName()).isEqualTo("COVET_MAX_MESSAGE_BYTES");
    }
}
