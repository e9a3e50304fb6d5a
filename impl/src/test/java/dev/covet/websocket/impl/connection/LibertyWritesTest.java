package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ibm.ws.wsoc.external.SessionExt;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * Open Liberty can keep a thread forever in {@code Session.close} or {@code sendPing} (a synchronous write on a
 * connection closed under it is never completed, and an interrupt makes it wait again). The race that leads there
 * cannot be produced on demand, so the session here is a stand-in with Liberty 26's shape ({@code com.ibm.ws.wsoc.external.SessionExt}
 * in the test sources); the checks that Covet schedules run when the test says, not on the wall clock.
 */
class LibertyWritesTest {

    private static final CloseReason GOING_AWAY = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "bye");

    private final List<Runnable> checks = new ArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = (ScheduledExecutorService) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("scheduleWithFixedDelay")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                assertThat(Arrays.asList(args).subList(1, 3)).containsExactly(
                        (long) LibertyWrites.CHECK_SECONDS, (long) LibertyWrites.CHECK_SECONDS);
                checks.add((Runnable) args[0]);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ScheduledFuture.class},
                        (future, call, none) -> {
                            if (call.getName().equals("cancel")) {
                                cancelled.set(true);
                                return true;
                            }
                            throw new UnsupportedOperationException(call.getName());
                        });
            });
    private final LibertyWrites writes = new LibertyWrites(scheduler);
    private Thread closing;

    @AfterEach
    void freeTheClosingThread() {
        if (closing != null && closing.isAlive()) {
            writes.failWaitingWrites();
        }
    }

    @Test
    void aCloseLeftWaitingByLibertyIsFailedAtTheSecondCheckThatFindsItWaiting() throws Exception {
        SessionExt session = new SessionExt(true);
        CompletableFuture<Throwable> outcome = closeOnAnotherThread(session);
        awaitWaitingInLibertysWrite();

        checks.get(0).run();
        assertThat(closing.isAlive()).as("one check leaves it waiting (it may be a slow write)").isTrue();

        checks.get(0).run();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).as("failed as Liberty's own timeout fails a write")
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("waited too long");
        assertThat(cancelled).as("its checks stop").isTrue();
    }

    @Test
    void aCheckThatFindsTheCloseElsewhereStartsTheCountAgain() throws Exception {
        CountDownLatch writeStarts = new CountDownLatch(1);
        SessionExt session = new SessionExt(true, writeStarts);
        CompletableFuture<Throwable> outcome = closeOnAnotherThread(session);
        await().atMost(Duration.ofSeconds(10)).until(() -> closing.getState() == Thread.State.WAITING);
        checks.get(0).run();
        writeStarts.countDown();
        awaitWaitingInLibertysWrite();

        checks.get(0).run();
        assertThat(closing.isAlive()).as("the first check did not find it in the write").isTrue();

        checks.get(0).run();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void atShutdownAWaitingCloseIsFailedAtOnce() throws Exception {
        SessionExt session = new SessionExt(true);
        CompletableFuture<Throwable> outcome = closeOnAnotherThread(session);
        awaitWaitingInLibertysWrite();

        writes.failWaitingWrites();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void aCloseThatReturnsIsNoLongerWatched() throws Exception {
        SessionExt session = new SessionExt(false);

        writes.close(session, GOING_AWAY);

        assertThat(session.isOpen()).isFalse();
        assertThat(cancelled).isTrue();
        checks.get(0).run();
        checks.get(0).run();
        writes.failWaitingWrites();
        assertThat(session.write()).extracting("blockingIOError").as("nothing handed to a later write").isNull();
    }

    @Test
    void anotherContainersCloseIsNotWatched() throws Exception {
        List<CloseReason> closed = new ArrayList<>();
        Session tomcat = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    assertThat(method.getName()).isEqualTo("close");
                    closed.add((CloseReason) args[0]);
                    return null;
                });

        writes.close(tomcat, GOING_AWAY);

        assertThat(closed).containsExactly(GOING_AWAY);
        assertThat(checks).isEmpty();
    }

    @Test
    void aPingLeftWaitingIsFailedOnlyOnceSeenWaitingForTheSendTimeout() throws Exception {
        SessionExt session = new SessionExt(true);
        CompletableFuture<Throwable> outcome = onAnotherThread(() -> writes.ping(session, Duration.ofSeconds(30),
                () -> session.write().writeOnClosedConnection()));
        awaitWaitingInLibertysWrite();
        for (int check = 1; check <= 5; check++) {
            checks.get(0).run();
        }
        assertThat(closing.isAlive()).as("Liberty has no timeout for a ping: after 5 checks (30 s), 30 s of send "
                + "timeout may not have passed since the ping began").isTrue();

        checks.get(0).run();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class);
    }

    /** @return what the close threw, once it returns */
    private CompletableFuture<Throwable> closeOnAnotherThread(Session session) {
        return onAnotherThread(() -> writes.close(session, GOING_AWAY));
    }

    /** @return what the write threw, once it returns */
    private CompletableFuture<Throwable> onAnotherThread(LibertyWrites.Write write) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        closing = new Thread(() -> {
            try {
                write.run();
                outcome.complete(null);
            } catch (IOException | RuntimeException e) {
                outcome.complete(e);
            }
        }, "covet-write-test");
        closing.setDaemon(true);
        closing.start();
        return outcome;
    }

    private void awaitWaitingInLibertysWrite() {
        await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(closing.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("simpleWait")));
    }
}
