package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Ending a connection can end another on the same thread (a notice to a member whose connection is gone); that one
 * must not end inside the first, or a room whose members all disconnect at once becomes a recursion as deep as the
 * room.
 */
class UnnestedTest {

    @Test
    void anEndStartedWhileEndingAnotherRunsAfterItNotWithinIt() {
        List<String> order = new ArrayList<>();
        Unnested.run(() -> {
            order.add("first starts");
            Unnested.run(() -> {
                order.add("second starts");
                Unnested.run(() -> order.add("fourth"));
                order.add("second ends");
            });
            Unnested.run(() -> order.add("third"));
            order.add("first ends");
        });
        assertThat(order).containsExactly("first starts", "first ends", "second starts", "second ends", "third",
                "fourth");
    }

    @Test
    void aChainOfAHundredThousandEndsRunsOnASmallStack() throws Exception {
        int[] ran = new int[1];
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread thread = new Thread(null, () -> {
            try {
                Unnested.run(new Runnable() {
                    @Override
                    public void run() {
                        if (++ran[0] < 100_000) {
                            Unnested.run(this);
                        }
                    }
                });
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        }, "chain", 128 * 1024);
        thread.start();
        assertThat(failure.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(ran[0]).isEqualTo(100_000);
    }

    @Test
    void aFailingEndDoesNotStopTheOnesWaitingForIt() {
        List<String> ran = new ArrayList<>();
        Unnested.run(() -> {
            Unnested.run(() -> {
                throw new IllegalStateException("session already gone");
            });
            Unnested.run(() -> ran.add("after the failure"));
        });
        Unnested.run(() -> ran.add("a later close, on its own"));
        assertThat(ran).containsExactly("after the failure", "a later close, on its own");
    }
}
