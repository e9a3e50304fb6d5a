package dev.covet.websocket.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kit on Payara Micro 7 (Jakarta EE 11), which needs Java 21 or later: the newest JDK under
 * {@code /usr/lib/jvm} (or the one named by {@code -Dpayara7.java=}) runs it; without one the runner is skipped.
 */
class Payara7KitIT extends PayaraKit {

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("payara7");
        Optional<Path> java = Optional.ofNullable(System.getProperty("payara7.java")).filter(s -> !s.isBlank())
                .map(Path::of).or(Payara7KitIT::newestJdk21);
        Assumptions.assumeTrue(java.isPresent(), "Payara 7 needs Java 21+; none found under /usr/lib/jvm");
        start(java.get(), System.getProperty("payara7.jar"), "payara7");
    }

    private static Optional<Path> newestJdk21() {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> feature(jdk) >= 21)
                    .max(Comparator.comparingInt(Payara7KitIT::feature))
                    .map(jdk -> jdk.resolve("bin/java"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The JDK's feature version from its {@code release} file, or 0. */
    private static int feature(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.replaceAll("[^0-9.]", "").split("\\.")[0])
                    .map(Integer::parseInt).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
