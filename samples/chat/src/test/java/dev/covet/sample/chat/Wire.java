package dev.covet.sample.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain JDK WebSocket client that queues what it receives, for the multi-node tests. */
final class Wire implements WebSocket.Listener, AutoCloseable {

    private static final long WAIT_SECONDS = 20;

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Wire connect(URI uri, String token) throws Exception {
        Wire wire = new Wire();
        wire.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).buildAsync(uri, wire).get(10, TimeUnit.SECONDS);
        return wire;
    }

    synchronized void send(String frame) throws Exception {
        socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
    }

    /** Sends a request and returns its reply, keeping whatever else arrived meanwhile for {@link #next}. */
    String request(String event, String id, String data) throws Exception {
        send("{\"event\":\"" + event + "\",\"id\":\"" + id + "\",\"data\":" + data + "}");
        return next(frame -> frame.contains("\"replyTo\":\"" + id + "\""));
    }

    /** The next frame that matches, dropping those before it; fails after 20 seconds. */
    String next(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + WAIT_SECONDS + " s");
            }
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    /** The next frame of an event, dropping others. */
    String nextEvent(String event) throws InterruptedException {
        return next(frame -> frame.startsWith("{\"event\":\"" + event + "\""));
    }

    /** Whatever arrives within the time, or null. */
    String poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    int closeCode() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(1006);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            try {
                // Wait for the server's answer before dropping the socket: an abort racing the close frame makes
                // the server see 1006 instead of the 1000 the client sent.
                closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // No answer in time: the abort below ends the connection anyway.
            }
        }
        socket.abort();
    }
}
