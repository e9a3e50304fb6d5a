package dev.covet.websocket.tck;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Assumptions;

/**
 * Which runners to run: {@code -Dtck.containers=jetty,tomcat} for a quick local run; unset or {@code all} runs
 * every runner. A runner left out reports itself skipped.
 */
public final class Runners {

    private Runners() {
    }

    /**
     * Skips the calling runner's tests unless it is selected.
     *
     * @param name the runner's name: tyrus, jetty, tomcat, payara6, payara7, wildfly, liberty
     */
    public static void assumeSelected(String name) {
        String selected = System.getProperty("tck.containers", "all").trim().toLowerCase(Locale.ROOT);
        Assumptions.assumeTrue(selected.isEmpty() || selected.equals("all")
                        || Arrays.stream(selected.split(",")).map(String::trim).anyMatch(name::equals),
                () -> name + " not selected by -Dtck.containers=" + selected);
    }
}
