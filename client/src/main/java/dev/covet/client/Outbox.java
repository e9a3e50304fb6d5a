package dev.covet.client;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * What goes out, on the client's event thread only: frames written one after another (the JDK WebSocket allows
 * one send at a time), frames waiting for a connection (bounded), and requests waiting for their answer.
 */
final class Outbox {

    private record Pending(CompletableFuture<JsonValue> answer, ScheduledFuture<?> timeout) {
    }

    private record Outgoing(String id, String text) {
    }

    private final ScheduledExecutorService loop;
    private final CovetClientBuilder options;
    private final BiConsumer<WebSocket, String> sendFailed;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Deque<Outgoing> queued = new ArrayDeque<>();
    private final Deque<String> writes = new ArrayDeque<>();
    private WebSocket socket;
    private boolean writing;
    private boolean closed;

    /** @param sendFailed told of a connection whose send failed (it is aborted) */
    Outbox(ScheduledExecutorService loop, CovetClientBuilder options, BiConsumer<WebSocket, String> sendFailed) {
        this.loop = loop;
        this.options = options;
        this.sendFailed = sendFailed;
    }

    /** Sends a request now, or when connected; the answer fails with {@code timeout} after the request timeout. */
    void request(String id, String text, String event, CompletableFuture<JsonValue> answer) {
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            pending.remove(id);
            queued.removeIf(outgoing -> id.equals(outgoing.id()));
            answer.completeExceptionally(new CovetClientException("timeout", "No answer to " + event + " within "
                    + options.requestTimeout.toMillis() + " ms"));
        }, options.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(answer, timeout));
        try {
            enqueue(new Outgoing(id, text));
        } catch (CovetClientException e) {
            timeout.cancel(false);
            pending.remove(id);
            answer.completeExceptionally(e);
        }
    }

    /**
     * Sends a message without answer now, or when connected.
     *
     * @throws CovetClientException {@code disconnected} or {@code queue_full}
     */
    void send(String text) {
        enqueue(new Outgoing(null, text));
    }

    private void enqueue(Outgoing outgoing) {
        if (socket != null) {
            write(outgoing.text());
            return;
        }
        if (closed || !options.queueWhileDisconnected) {
            throw new CovetClientException("disconnected", "Not connected");
        }
        if (queued.size() >= options.maxQueued) {
            throw new CovetClientException("queue_full", options.maxQueued + " messages already wait for the "
                    + "connection");
        }
        queued.add(outgoing);
    }

    /** @return whether the frame answered a request waiting here (and completed it) */
    boolean answer(String id, JsonObject frame) {
        Pending request = pending.remove(id);
        if (request == null) {
            return false;
        }
        request.timeout().cancel(false);
        if ("error".equals(frame.getString("event", ""))) {
            request.answer().completeExceptionally(Frames.error(frame.getJsonObject("error")));
        } else {
            request.answer().complete(frame.get("data"));
        }
        return true;
    }

    /** Writes go to a connection from now on. */
    void attach(WebSocket connection) {
        socket = connection;
    }

    /** Sends what waited for a connection, once the rooms are rejoined. */
    void flushQueued() {
        while (socket != null && !queued.isEmpty()) {
            Outgoing next = queued.poll();
            if (next.id() == null || pending.containsKey(next.id())) {
                write(next.text());
            }
        }
    }

    /** The connection ended: requests already sent fail, those still queued wait for the next connection. */
    void detach(CovetClientException error) {
        socket = null;
        writes.clear();
        writing = false;
        failPending(error, true);
    }

    /** Closed for good: everything waiting fails, nothing is accepted any more. */
    void close(CovetClientException error) {
        closed = true;
        failPending(error, false);
        queued.clear();
    }

    private void write(String text) {
        writes.add(text);
        if (!writing) {
            pump();
        }
    }

    private void pump() {
        String next = writes.poll();
        WebSocket current = socket;
        if (next == null || current == null) {
            writing = false;
            return;
        }
        writing = true;
        current.sendText(next, true).whenCompleteAsync((ws, error) -> {
            if (error != null) {
                current.abort();
                sendFailed.accept(current, "send failed: " + Frames.unwrap(error).getMessage());
                return;
            }
            pump();
        }, loop);
    }

    private void failPending(CovetClientException error, boolean keepQueued) {
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (keepQueued && queued.stream().anyMatch(outgoing -> entry.getKey().equals(outgoing.id()))) {
                continue;
            }
            entry.getValue().timeout().cancel(false);
            entry.getValue().answer().completeExceptionally(error);
            it.remove();
        }
    }
}
