package dev.covet.websocket.impl.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.junit.jupiter.api.Test;

/**
 * The queue's batching against a remote endpoint that behaves as Jetty 12's does (a send made while batching is
 * allowed completes at once, its bytes wait for a flush), or a batching that collects the frames itself as on
 * Tyrus, and a flush the test completes when it chooses: the real containers cannot be held at these points on
 * demand, so their over-the-wire behaviour is the kit's and {@code BatchingTest}'s.
 */
class OutboundQueueBatchingTest {

    /**
     * What the remote endpoint and the batching were asked, in order: {@code text:...}, {@code batching:on},
     * {@code flush} (or {@code flush:[...]} with what was collected), {@code closing:[...]}, {@code close}.
     */
    private final List<String> calls = new ArrayList<>();
    private final List<SendHandler> pendingSends = new ArrayList<>();
    private final List<Runnable> pendingFlushes = new ArrayList<>();
    private final List<String> overflows = new ArrayList<>();
    private boolean batchingAllowed;

    private final RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "setBatchingAllowed" -> {
                        batchingAllowed = (Boolean) args[0];
                        calls.add("batching:" + (batchingAllowed ? "on" : "off"));
                    }
                    case "sendText" -> {
                        calls.add("text:" + args[0]);
                        SendHandler handler = (SendHandler) args[1];
                        if (batchingAllowed) {
                            handler.onResult(new SendResult());
                        } else {
                            pendingSends.add(handler);
                        }
                    }
                    case "sendPing" -> calls.add("sendPing");
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });

    private final Batching asynchronousFlush = new Batching() {
        @Override
        boolean enabled() {
            return true;
        }

        @Override
        void flush(Runnable done, Consumer<Throwable> failed) {
            calls.add("flush");
            pendingFlushes.add(done);
        }

        /** As Jetty 12's, without blocking; completed by the test like a flush. */
        @Override
        boolean ping(ByteBuffer data, Runnable done, Consumer<Throwable> failed) {
            calls.add("ping");
            pendingFlushes.add(done);
            return true;
        }
    };

    /** As on Tyrus: frames are collected by the batching itself, which is full at three, and written by the flush. */
    private final Batching collecting = new Batching() {
        private final List<Object> collected = new ArrayList<>();

        @Override
        boolean enabled() {
            return true;
        }

        @Override
        boolean collect(Object frame) {
            collected.add(frame);
            return true;
        }

        @Override
        boolean full() {
            return collected.size() >= 3;
        }

        @Override
        void flush(Runnable done, Consumer<Throwable> failed) {
            calls.add("flush:" + collected);
            collected.clear();
            pendingFlushes.add(done);
        }

        @Override
        void closing() {
            calls.add("closing:" + collected);
            collected.clear();
        }

        @Override
        boolean ping(ByteBuffer data, Runnable done, Consumer<Throwable> failed) {
            return false;
        }
    };

    private OutboundQueue queue(Batching batching, int maxMessages) {
        return new OutboundQueue(remote,
                new OutboundLimits(maxMessages, 1 << 20, false, true, java.time.Duration.ofSeconds(30)), new Counters(),
                batching, blockingPings, overflows::add, failure -> calls.add("failed:" + failure),
                close -> calls.add("close"));
    }

    /** Where a container's blocking ping would run: held here until the test completes it. */
    private final List<LibertyWrites.Write> pingsHandedOff = new ArrayList<>();
    private final List<Runnable> pingsSent = new ArrayList<>();
    private final List<Consumer<Throwable>> pingFailures = new ArrayList<>();
    private final BlockingPings blockingPings = (ping, sent, failed) -> {
        calls.add("ping handed off");
        pingsHandedOff.add(ping);
        pingsSent.add(sent);
        pingFailures.add(failed);
        return true;
    };

    private void completeSend() {
        pendingSends.remove(0).onResult(new SendResult());
    }

    private void completeFlush() {
        pendingFlushes.remove(0).run();
    }

    /** Offers room broadcasts (droppable), in order. */
    private static void offer(OutboundQueue queue, String... frames) {
        for (String frame : frames) {
            queue.offer(frame, true, null);
        }
    }

    @Test
    void aLoneFrameIsOneSendWithoutBatching() {
        OutboundQueue queue = queue(asynchronousFlush, 100);
        queue.offer("a", true, null);
        assertThat(calls).containsExactly("text:a");
        completeSend();
        assertThat(queue.isDrained()).isTrue();
    }

    @Test
    void framesQueuedBehindASendAreBatchedAndFlushedOnceInOrder() {
        OutboundQueue queue = queue(asynchronousFlush, 100);
        offer(queue, "a", "b", "c", "d");
        assertThat(calls).containsExactly("text:a");
        completeSend();
        assertThat(calls).containsExactly("text:a", "batching:on", "text:b", "text:c", "text:d", "flush");
        assertThat(queue.isDrained()).as("the flush is in flight").isFalse();
        queue.offer("e", true, null);
        assertThat(calls).as("nothing overtakes the flush").hasSize(6);
        completeFlush();
        assertThat(calls).as("a frame after a flush is flushed at once, not held for more")
                .endsWith("text:e", "flush");
        completeFlush();
        assertThat(queue.isDrained()).isTrue();
    }

    /**
     * A ping queued while a flush is in flight goes out from the flush's completion. A blocking
     * {@code RemoteEndpoint.sendPing} there never returned on Jetty 12 (the completion runs inside the flusher the
     * ping waits for); this remote endpoint refuses {@code sendPing} altogether.
     */
    @Test
    void aPingQueuedBehindAFlushIsSentWithoutBlockingFromTheFlushesCompletion() {
        OutboundQueue queue = queue(asynchronousFlush, 100);
        offer(queue, "a", "b", "c");
        completeSend();
        queue.ping();
        queue.offer("d", true, null);
        assertThat(calls).containsExactly("text:a", "batching:on", "text:b", "text:c", "flush");
        completeFlush();
        assertThat(calls).as("the ping, behind the flushed frames").endsWith("flush", "ping");
        completeFlush();
        assertThat(calls).as("the frame queued after the ping follows it").endsWith("ping", "text:d", "flush");
        completeFlush();
        assertThat(queue.isDrained()).isTrue();
        assertThat(calls).noneMatch(call -> call.startsWith("failed"));
    }

    /**
     * Where the container has only the blocking {@code sendPing} (Tomcat, Undertow, Liberty), the ping runs on another
     * thread, never on the thread that queued it (the heartbeat sweep, or a container's thread completing a send),
     * and the queue sends nothing else until it returns, as for any write in flight.
     */
    @Test
    void aBlockingPingIsHandedOffAndHoldsBackTheFramesAfterItUntilItReturns() throws Exception {
        OutboundQueue queue = queue(Batching.NONE, 100);
        queue.ping();
        queue.offer("a", true, null);
        assertThat(calls).containsExactly("ping handed off");
        assertThat(queue.pingWaiting()).as("no ping thread has started it").isTrue();
        assertThat(queue.writeInFlight()).as("nothing of it is written: no send timeout runs").isEqualTo(-1);

        pingsHandedOff.get(0).run();
        assertThat(queue.pingWaiting()).isFalse();
        long pingWrite = queue.writeInFlight();
        assertThat(pingWrite).as("the ping, being written, is the write in flight").isNotEqualTo(-1);
        assertThat(calls).containsExactly("ping handed off", "sendPing");

        pingsSent.get(0).run();
        assertThat(calls).containsExactly("ping handed off", "sendPing", "text:a");
        assertThat(queue.writeInFlight()).as("the next write").isNotIn(-1L, pingWrite);
        completeSend();
        assertThat(queue.isDrained()).isTrue();
    }

    @Test
    void aBlockingPingThatFailsIsReportedAndNothingIsSentAfterIt() {
        OutboundQueue queue = queue(Batching.NONE, 100);
        queue.ping();
        queue.offer("a", true, null);

        pingFailures.get(0).accept(new java.net.SocketTimeoutException("full"));
        assertThat(calls).containsExactly("ping handed off", "failed:java.net.SocketTimeoutException: full");
    }

    /**
     * A write the container failed (a send timeout) may have put part of a frame on the wire: on Tomcat the next
     * frame, sent before the connection closed, followed it and the client read garbage. Nothing goes out after a
     * failed write; the close asked for then runs at once, nothing being in flight.
     */
    @Test
    void nothingIsSentAfterAFailedWriteAndACloseAskedThenRunsAtOnce() {
        OutboundQueue queue = queue(Batching.NONE, 100);
        offer(queue, "a", "b", "c");
        pendingSends.remove(0).onResult(new SendResult(new java.net.SocketTimeoutException("timed out")));
        queue.offer("d", true, null);
        assertThat(calls).containsExactly("text:a", "failed:java.net.SocketTimeoutException: timed out");
        assertThat(queue.writeInFlight()).isEqualTo(-1);

        assertThat(queue.abandonThenClose(() -> calls.add("forced close"))).as("closed at once").isTrue();
        assertThat(calls).endsWith("forced close");
        queue.closeOverdue();
        assertThat(calls).filteredOn("forced close"::equals).hasSize(1);
    }

    @Test
    void framesCollectedByTheBatchingAreWrittenByItsFlushAndAFullOneIsWrittenBeforeMoreAreTaken() {
        OutboundQueue queue = queue(collecting, 100);
        offer(queue, "a", "b", "c", "d", "e");
        assertThat(calls).containsExactly("text:a");
        completeSend();
        assertThat(calls).as("collected up to full, then written; e waits for that write")
                .containsExactly("text:a", "batching:on", "flush:[b, c, d]");
        assertThat(queue.isDrained()).isFalse();
        completeFlush();
        assertThat(calls).as("what is left is written when the queue drains").endsWith("flush:[e]");
        completeFlush();
        assertThat(queue.isDrained()).isTrue();
    }

    @Test
    void aCloseAfterCollectedFramesWritesThemFirst() {
        OutboundQueue queue = queue(collecting, 100);
        offer(queue, "a", "b", "c");
        queue.closeAfterPending(1000, "bye");
        completeSend();
        assertThat(calls).containsExactly("text:a", "batching:on", "closing:[b, c]", "close");
        assertThat(pendingFlushes).as("nothing written after the close").isEmpty();
    }

    @Test
    void anUnfinishedFlushHoldsTheQueueSoItsBoundsStillCloseASlowConsumer() {
        OutboundQueue queue = queue(asynchronousFlush, 3);
        offer(queue, "a", "b", "c");
        completeSend();
        assertThat(pendingFlushes).hasSize(1);
        for (int i = 0; i < 3; i++) {
            queue.offer("x" + i, true, null);
        }
        assertThat(overflows).isEmpty();
        assertThat(queue.offer("y", true, null)).isFalse();
        assertThat(overflows).hasSize(1);
    }

    @Test
    void withoutAnAsynchronousFlushEveryFrameIsItsOwnSend() {
        OutboundQueue queue = queue(Batching.NONE, 100);
        offer(queue, "a", "b", "c");
        completeSend();
        completeSend();
        completeSend();
        assertThat(calls).containsExactly("text:a", "text:b", "text:c");
        assertThat(queue.isDrained()).isTrue();
    }

    @Test
    void insideDeferFlushesEveryFrameWaitsForTheEndAndEachQueueIsFlushedOnce() {
        OutboundQueue queue = queue(asynchronousFlush, 100);
        DeferredFlushes.run(() -> {
            offer(queue, "a", "b");
            DeferredFlushes.run(() -> queue.offer("c", true, null));
            assertThat(calls).as("nothing written before the work returns").isEmpty();
            assertThat(queue.isDrained()).isFalse();
        });
        assertThat(calls).containsExactly("batching:on", "text:a", "text:b", "text:c", "flush");
        completeFlush();
        assertThat(queue.isDrained()).isTrue();
    }

    @Test
    void aBurstInDeferFlushesIsWrittenConnectionByConnection() {
        OutboundQueue first = queue(asynchronousFlush, 100);
        OutboundQueue second = queue(asynchronousFlush, 100);
        DeferredFlushes.run(() -> {
            for (String message : List.of("m1", "m2", "m3")) {
                first.offer(message + "@1", true, null);
                second.offer(message + "@2", true, null);
            }
        });
        assertThat(calls).containsExactly("batching:on", "text:m1@1", "text:m2@1", "text:m3@1", "flush",
                "batching:on", "text:m1@2", "text:m2@2", "text:m3@2", "flush");
    }

    @Test
    void aQueueHalfFullInsideDeferFlushesIsDrainedAtOnceSoALongBatchDoesNotOverflowIt() {
        OutboundQueue queue = queue(asynchronousFlush, 4);
        List<String> texts = new ArrayList<>();
        DeferredFlushes.run(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(queue.offer("f" + i, true, null)).isTrue();
                texts.add("text:f" + i);
            }
            assertThat(calls).as("handed over while the batch runs").contains("text:f0", "text:f2");
        });
        while (!pendingFlushes.isEmpty()) {
            completeFlush();
        }
        assertThat(overflows).isEmpty();
        assertThat(calls.stream().filter(call -> call.startsWith("text:")).toList()).isEqualTo(texts);
        assertThat(queue.isDrained()).isTrue();
    }

    /**
     * A forced close waits for the send in flight: closing a session under the container's own pending write lost
     * that frame on Open Liberty and once left the closing thread waiting for good.
     */
    @Test
    void aForcedCloseWaitsForTheSendInFlightAndNothingIsSentAfterIt() {
        OutboundQueue queue = queue(Batching.NONE, 100);
        offer(queue, "a", "b", "c");
        assertThat(queue.abandonThenClose(() -> calls.add("forced close"))).as("waits for a").isFalse();
        assertThat(calls).containsExactly("text:a");
        queue.offer("late", false, null);
        completeSend();
        assertThat(calls).as("closed when a completed; b and c discarded").containsExactly("text:a", "forced close");
        queue.closeOverdue();
        assertThat(calls).as("once").containsExactly("text:a", "forced close");
    }

    @Test
    void afterAQueuedCloseNoWriteCountsAsInFlight() {
        OutboundQueue queue = queue(Batching.NONE, 100);
        queue.offer("a", true, null);
        assertThat(queue.writeInFlight()).as("a is being written").isNotNegative();
        queue.closeAfterPending(1000, "bye");
        completeSend();
        assertThat(calls).containsExactly("text:a", "close");
        assertThat(queue.writeInFlight()).as("closed: nothing for the send timeout to time").isNegative();
    }

    @Test
    void aForcedCloseOfAnIdleQueueRunsAtOnce() {
        OutboundQueue queue = queue(Batching.NONE, 100);
        queue.offer("a", true, null);
        completeSend();
        assertThat(queue.abandonThenClose(() -> calls.add("forced close"))).isTrue();
        assertThat(calls).containsExactly("text:a", "forced close");
    }

    @Test
    void aForcedCloseWhoseSendNeverCompletesRunsWhenOverdueAndOnlyOnce() {
        OutboundQueue queue = queue(asynchronousFlush, 100);
        offer(queue, "a", "b", "c");
        completeSend();
        assertThat(queue.abandonThenClose(() -> calls.add("forced close"))).as("the flush is in flight").isFalse();
        queue.offer("d", true, null);
        queue.closeOverdue();
        assertThat(calls).containsExactly("text:a", "batching:on", "text:b", "text:c", "flush", "forced close");
        completeFlush();
        assertThat(calls).as("the late completion sends and closes nothing more").hasSize(6);
    }
}
