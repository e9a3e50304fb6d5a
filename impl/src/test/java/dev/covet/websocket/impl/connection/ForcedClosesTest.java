package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Closes run on the caller's thread when every closer is busy: a close that one of them starts on that thread (a
 * notice to a member whose connection is gone) must not run inside it, or a room whose members all disconnect at
 * once becomes a recursion as deep as the room.
 */
class ForcedClosesTest {

    @Test
    void aCloseStartedByAnInlineCloseRunsAfterItNotWithinIt() {
        List<String> order = new ArrayList<>();
        ForcedCloses.inline(() -> {
            order.add("first starts");
            ForcedCloses.inline(() -> {
                order.add("second starts");
                ForcedCloses.inline(() -> order.add("fourth"));
                order.add("second ends");
            });
            ForcedCloses.inline(() -> order.add("third"));
            order.add("first ends");
        });
        assertThat(order).containsExactly("first starts", "first ends", "second starts", "second ends", "third",
                "fourth");
    }

    @Test
    void aChainOfAHundredThousandClosesRunsOnASmallStack() throws Exception {
        int[] ran = new int[1];
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread thread = new Thread(null, () -> {
            try {
                ForcedCloses.inline(new Runnable() {
                    @Override
                    public void run() {
                        if (++ran[0] < 100_000) {
                            ForcedCloses.inline(this);
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
    void aFailingCloseDoesNotStopTheClosesWaitingForIt() {
        List<String> ran = new ArrayList<>();
        ForcedCloses.inline(() -> {
            ForcedCloses.inline(() -> {
                throw new IllegalStateException("session already gone");
            });
            ForcedCloses.inline(() -> ran.add("after the failure"));
        });
        ForcedCloses.inline(() -> ran.add("a later close, on its own"));
        assertThat(ran).containsExactly("after the failure", "a later close, on its own");
    }
}
