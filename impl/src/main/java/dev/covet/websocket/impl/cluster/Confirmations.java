package dev.covet.websocket.impl.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Subscriptions awaited until Redis confirms them, by channel, so that a join returns once the node receives the
 * room's messages. A confirmation that does not come in time is given up: the subscription is then made on the
 * next reconnection, and what was missed meanwhile is recovered by offset.
 */
final class Confirmations {

    private static final System.Logger LOG = System.getLogger(Confirmations.class.getName());

    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Duration timeout;

    Confirmations(Duration timeout) {
        this.timeout = timeout;
    }

    /** @return the confirmation of a channel's subscription, shared by everyone waiting for it */
    CompletableFuture<Void> expect(String channel) {
        return waiting.computeIfAbsent(channel, c -> new CompletableFuture<>());
    }

    /** Redis confirmed a subscription. */
    void confirmed(String channel) {
        CompletableFuture<Void> confirmation = waiting.remove(channel);
        if (confirmation != null) {
            confirmation.complete(null);
        }
    }

    /** Nobody waits for this confirmation any more (the subscription was not sent). */
    void forget(String channel, CompletableFuture<Void> confirmation) {
        waiting.remove(channel, confirmation);
    }

    /** Waits for a confirmation, at most the cluster timeout. */
    void await(String channel, CompletableFuture<Void> confirmation) {
        try {
            confirmation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            forget(channel, confirmation);
            LOG.log(System.Logger.Level.DEBUG, "No confirmation of the subscription to {0} yet", channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
