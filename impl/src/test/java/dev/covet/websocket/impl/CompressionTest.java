package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** permessage-deflate on Tyrus, with the library's bounded inflation in front of Tyrus's extension. */
class CompressionTest {

    private static final int BOMB = 10 * 1024 * 1024;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(), TestHandlers.ALL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersCompressedRequestsAcrossMessagesWithTheContextKept() throws Exception {
        try (RawClient client = RawClient.open(server.uri(), Tokens.valid("zip"), 64 * 1024, true)) {
            for (int i = 1; i <= 3; i++) {
                client.sendCompressed("{\"event\":\"echo\",\"id\":\"" + i + "\",\"data\":{\"text\":\"hello hello\"}}", 1);
                assertThat(client.readText()).isEqualTo("{\"event\":\"echo\",\"replyTo\":\"" + i
                        + "\",\"data\":{\"text\":\"hello hello\"}}");
            }
        }
    }

    @Test
    void closesADeflateBombWith1009WithoutInflatingIt() throws Exception {
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            bomb();  // class loading and first-run code paths allocate too; measure a warm run
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = allocated(threads);
        assertThat(bomb()).isEqualTo(1009);
        long allocated = allocated(threads) - before;
        assertThat(allocated).as("bytes allocated by all threads while handling a 10 MiB bomb")
                .isLessThan(BOMB / 2);
    }

    /** 10 MiB of one letter in one compressed frame of about 10 KB. */
    private static int bomb() throws Exception {
        try (RawClient client = RawClient.open(server.uri(), Tokens.valid("bomb"), 64 * 1024, true)) {
            client.sendCompressed("a".repeat(1024), BOMB / 1024);
            return client.closeCode();
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            sum += Math.max(0, threads.getThreadAllocatedBytes(id));
        }
        return sum;
    }
}
