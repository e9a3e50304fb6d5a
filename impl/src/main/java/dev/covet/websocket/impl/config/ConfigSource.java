package dev.covet.websocket.impl.config;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A place configuration values come from; {@link #standard} chains them in the documented precedence.
 */
@FunctionalInterface
public interface ConfigSource {

    /**
     * Looks a key up.
     *
     * @param setting the key
     * @return the raw value, or empty when this source does not set it
     */
    Optional<String> get(Setting<?> setting);

    /**
     * MicroProfile Config when present, then {@code lowest} (servlet init-params or the embedding settings), then
     * system properties, then environment variables, then nothing (the caller applies defaults).
     *
     * @param lowest init-parameter lookup, returning null when unset
     * @return the chained source
     */
    static ConfigSource standard(Function<String, String> lowest) {
        List<ConfigSource> chain = List.of(
                microProfile(),
                s -> Optional.ofNullable(lowest.apply(s.key())),
                s -> Optional.ofNullable(System.getProperty(s.key())),
                s -> Optional.ofNullable(System.getenv(s.environmentName())));
        return setting -> chain.stream().map(source -> source.get(setting)).flatMap(Optional::stream).findFirst();
    }

    /**
     * MicroProfile Config through reflection, so that it is used where the server has it and never required.
     *
     * @return a source that is empty when MicroProfile Config is absent
     */
    private static ConfigSource microProfile() {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> provider = Class.forName("org.eclipse.microprofile.config.ConfigProvider", true, loader);
            Object config = provider.getMethod("getConfig").invoke(null);
            Class<?> configType = Class.forName("org.eclipse.microprofile.config.Config", true, loader);
            Method optional = configType.getMethod("getOptionalValue", String.class, Class.class);
            return setting -> {
                try {
                    return ((Optional<?>) optional.invoke(config, setting.key(), String.class)).map(String.class::cast);
                } catch (ReflectiveOperationException e) {
                    return Optional.empty();
                }
            };
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return setting -> Optional.empty();
        }
    }
}
