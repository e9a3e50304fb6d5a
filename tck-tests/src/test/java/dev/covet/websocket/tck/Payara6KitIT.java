package dev.covet.websocket.tck;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;

/**
 * The kit on Payara Micro 6 (Jakarta EE 10) on the build's own JDK 17.
 */
class Payara6KitIT extends PayaraKit {

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("payara6");
        start(Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("payara6.jar"), "payara6");
    }
}
