package dev.covet.websocket.tck;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The kit's wire client: the JDK's WebSocket, recording frames (text as parsed JSON) and the close code.
 *
 * <p>Sends are serialized: the JDK client allows one outstanding send.
 */
public final class KitClient implements WebSocket.Listener, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicInteger barriers = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    private KitClient() {
    }

    /**
     * Opens a connection.
     *
     * @param uri the WebSocket URI
     * @param headers extra handshake headers
     * @return the open client
     * @throws HandshakeRefused when the server answers the upgrade with an HTTP status
     * @throws Exception when the connection cannot be made at all
     */
    public static KitClient open(URI uri, Map<String, String> headers) throws Exception {
        return open(uri, headers, List.of());
    }

    /**
     * Opens a connection offering subprotocols.
     *
     * @param uri the endpoint
     * @param headers extra handshake headers
     * @param subprotocols the {@code Sec-WebSocket-Protocol} entries, in order
     * @return the open client
     * @throws HandshakeRefused when the server answers the upgrade with an HTTP status
     * @throws Exception when the connection cannot be made at all
     */
    public static KitClient open(URI uri, Map<String, String> headers, List<String> subprotocols) throws Exception {
        KitClient client = new KitClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            client.socket = builder.buildAsync(uri, client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefused(refused.getResponse().statusCode());
            }
            throw e;
        }
        return client;
    }

    /** @return the subprotocol the server selected, or "" */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Sends a text frame. */
    public synchronized void send(String frame) throws Exception {
        socket.sendText(frame, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends a binary frame. */
    public synchronized void sendBinary(byte[] frame) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(frame), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The next text frame as JSON, failing after 10 seconds. */
    public JsonObject next() throws InterruptedException {
        Object frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!(frame instanceof String s)) {
            throw new AssertionError("Expected a text frame within " + WAIT.toSeconds() + " s, got " + frame);
        }
        return Json.createReader(new java.io.StringReader(s)).readObject();
    }

    /** The next frame of the given event, skipping others. */
    public JsonObject next(String event) throws InterruptedException {
        while (true) {
            JsonObject frame = next();
            if (frame.getString("event").equals(event)) {
                return frame;
            }
        }
    }

    /**
     * Proves nothing else was queued for this client: sends a request for an event no application declares and
     * requires the very next frame to be its {@code unknown_event} answer. A server sends one connection's frames
     * in the order it queued them, so any frame queued before the request would arrive first.
     */
    public void assertNothingQueued() throws Exception {
        String id = "barrier-" + barriers.incrementAndGet();
        send("{\"event\":\"kit.barrier\",\"id\":\"" + id + "\"}");
        JsonObject frame = next();
        org.assertj.core.api.Assertions.assertThat(frame.getString("event") + " " + frame.getString("replyTo", ""))
                .as("the next frame").isEqualTo("error " + id);
        org.assertj.core.api.Assertions.assertThat(frame.getJsonObject("error").getString("code"))
                .isEqualTo("unknown_event");
    }

    /** Whatever frame arrives within the given time, or null. */
    public Object poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the connection has closed. */
    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** The close code the server sent (1006 when the connection dropped), waiting up to 10 seconds. */
    public int closeCode() throws Exception {
        return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return the pings received from the server (the JDK answers each with a pong by itself) */
    public int pings() {
        return pings.get();
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            frames.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            frames.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(1006);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            try {
                // The server gives back the connection's slots when it handles the close: wait for its answer, so
                // that a client reconnecting at once is not counted twice (HTTP 429 on a busy machine).
                closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // No answer in time: the abort below ends the connection anyway.
            }
        }
        socket.abort();
    }

    /** The server refused the upgrade with an HTTP status. */
    public static final class HandshakeRefused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        HandshakeRefused(int status) {
            super("Handshake refused with HTTP " + status);
            this.status = status;
        }

        /** @return the HTTP status */
        public int status() {
            return status;
        }
    }
}
