package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The sweep's watch of the write in flight: overdue after the send timeout, and, for a write the container then
 * fails with an error that does not say "timeout" (Undertow), whether it had been stuck for half of it.
 */
class LivenessTest {

    private static final long SECOND = 1_000_000_000L;

    private final Liveness liveness = new Liveness(Duration.ofSeconds(2), 0);

    @Test
    void theSameWriteIsOverdueAfterTheSendTimeoutAndStuckFromHalfOfIt() {
        assertThat(liveness.overdue(7, 0)).isFalse();
        assertThat(liveness.overdue(7, SECOND / 2)).isFalse();
        assertThat(liveness.watchedWriteWasStuck()).isFalse();
        assertThat(liveness.overdue(7, SECOND)).isFalse();
        assertThat(liveness.watchedWriteWasStuck()).as("half the send timeout").isTrue();
        assertThat(liveness.overdue(7, 2 * SECOND + 1)).isTrue();
    }

    @Test
    void aStuckWriteIsRememberedWhenItEndsAndForgottenWhenAnotherStarts() {
        liveness.overdue(7, 0);
        liveness.overdue(7, SECOND);
        assertThat(liveness.overdue(-1, SECOND + 1)).isFalse();
        assertThat(liveness.watchedWriteWasStuck()).as("the write failed; the sweep saw the queue idle since")
                .isTrue();

        liveness.overdue(8, 2 * SECOND);
        assertThat(liveness.watchedWriteWasStuck()).as("a new write").isFalse();
        liveness.overdue(8, 2 * SECOND + SECOND / 4);
        assertThat(liveness.watchedWriteWasStuck()).isFalse();
    }
}
