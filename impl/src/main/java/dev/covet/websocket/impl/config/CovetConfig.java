package dev.covet.websocket.impl.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.websocket.DeploymentException;

/**
 * The library's configuration, read once at deployment from a {@link ConfigSource} and validated as a whole.
 *
 * <p>Immutable and thread-safe. Every problem is collected and reported in one {@link DeploymentException}.
 */
public final class CovetConfig {

    /** Settings whose values never appear in error messages. */
    private static final Set<Setting<?>> SECRETS = Set.of(Settings.JWT_SECRET, Settings.INTROSPECTION_CLIENT_SECRET,
            Settings.CLUSTER_REDIS_URI);

    private final Map<Setting<?>, Object> values;

    private CovetConfig(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /**
     * Reads and validates every setting.
     *
     * @param source where values come from
     * @return the configuration
     * @throws DeploymentException listing every invalid or missing value
     */
    public static CovetConfig load(ConfigSource source) throws DeploymentException {
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = new HashMap<>();
        Set<Setting<?>> provided = new HashSet<>();
        Set<Setting<?>> explicit = new HashSet<>();
        for (Setting<?> setting : Settings.ALL) {
            Optional<String> set = source.get(setting);
            set.ifPresent(value -> explicit.add(setting));
            Optional<String> raw = set.or(() -> Optional.ofNullable(setting.defaultValue()));
            if (raw.isEmpty()) {
                continue;
            }
            provided.add(setting);
            try {
                values.put(setting, setting.parser().apply(raw.get()));
            } catch (RuntimeException e) {
                String shown = SECRETS.contains(setting) ? "(secret not shown)"
                        : setting == Settings.API_KEYS ? "not valid" : "'" + raw.get() + "'";
                problems.add(setting.key() + " is " + shown + "; expected " + setting.expected()
                        + (setting == Settings.API_KEYS ? " (" + e.getMessage() + ")" : ""));
            }
        }
        CovetConfig config = new CovetConfig(values);
        config.checkAuthentication(provided, explicit, problems);
        if (!problems.isEmpty()) {
            throw new DeploymentException("Invalid Covet configuration (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "):\n - " + String.join("\n - ", problems));
        }
        return config;
    }

    private void checkAuthentication(Set<Setting<?>> provided, Set<Setting<?>> explicit, List<String> problems) {
        boolean jwt = provided.contains(Settings.JWT_SECRET) || provided.contains(Settings.JWT_JWKS);
        if (jwt) {
            for (Setting<?> required : List.of(Settings.JWT_ISSUER, Settings.JWT_AUDIENCE)) {
                if (!provided.contains(required)) {
                    problems.add(required.key() + " is missing; it is required when " + Settings.JWT_SECRET.key()
                            + " or " + Settings.JWT_JWKS.key() + " is set");
                }
            }
            Set<String> algorithms = find(Settings.JWT_ALGORITHMS).orElse(Set.of());
            if (!provided.contains(Settings.JWT_SECRET) && algorithms.stream().anyMatch(a -> a.startsWith("HS"))) {
                problems.add(Settings.JWT_ALGORITHMS.key() + " allows HMAC algorithms but "
                        + Settings.JWT_SECRET.key() + " is not set");
            }
            if (!provided.contains(Settings.JWT_JWKS) && algorithms.stream().anyMatch(a -> !a.startsWith("HS"))) {
                problems.add(Settings.JWT_ALGORITHMS.key() + " allows public-key algorithms but "
                        + Settings.JWT_JWKS.key() + " is not set");
            }
        }
        if (!jwt) {
            for (Setting<?> orphan : List.of(Settings.JWT_ISSUER, Settings.JWT_AUDIENCE)) {
                if (provided.contains(orphan)) {
                    problems.add(orphan.key() + " is set but neither " + Settings.JWT_SECRET.key() + " nor "
                            + Settings.JWT_JWKS.key() + " is: no token could ever be verified; set one of them");
                }
            }
        }
        boolean any = jwt || !find(Settings.API_KEYS).orElse(List.of()).isEmpty()
                || provided.contains(Settings.INTROSPECTION_URL) || explicit.contains(Settings.AUTH_ANONYMOUS);
        if (!any) {
            problems.add("no authentication is configured; set " + Settings.JWT_SECRET.key() + " or "
                    + Settings.JWT_JWKS.key() + " (with " + Settings.JWT_ISSUER.key() + " and "
                    + Settings.JWT_AUDIENCE.key() + "), " + Settings.API_KEYS.key() + " or "
                    + Settings.INTROSPECTION_URL.key() + "; or set " + Settings.AUTH_ANONYMOUS.key()
                    + " explicitly: true admits anonymous connections, false relies on the container's login or your "
                    + "HandshakeCheck beans");
        }
    }

    /**
     * The value of a setting that has a default or was validated as present.
     *
     * @param setting the key
     * @param <T> the value type
     * @return the value
     * @throws IllegalStateException when the setting has no value
     */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " has no value"));
    }

    /**
     * The value of an optional setting.
     *
     * @param setting the key
     * @param <T> the value type
     * @return the value, or empty when unset and without default
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable((T) values.get(setting));
    }
}
