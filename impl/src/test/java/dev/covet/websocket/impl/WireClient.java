package dev.covet.websocket.impl;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real WebSocket client (the JDK's) that records every frame and the close code; sends are serialized
 * because the JDK client allows one outstanding send.
 */
final class WireClient implements WebSocket.Listener, AutoCloseable {

    private static final Pattern NOTICE = Pattern.compile(
            "\\{\"event\":\"\\$room\\.(joined|left|role|invited|deleted)\",\"room\"");

    /** How long to wait for what must arrive: generous, since a busy 2-core machine can stall a test for seconds. */
    private static final long WAIT_SECONDS = 20;

    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger barriers = new java.util.concurrent.atomic.AtomicInteger();
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private WebSocket socket;

    static WireClient connect(URI uri, Map<String, String> headers, String... subprotocols) throws Exception {
        WireClient client = new WireClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        return client;
    }

    static WireClient withToken(URI uri, String user) throws Exception {
        return connect(uri, Map.of("Authorization", "Bearer " + Tokens.valid(user)));
    }

    /** @return the subprotocol the server chose, or "" */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    synchronized void send(String frame) throws Exception {
        socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
    }

    synchronized void sendBinary(byte[] frame) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(frame), true).get(5, TimeUnit.SECONDS);
    }

    /** The next text frame, failing after 5 seconds. */
    String next() throws InterruptedException {
        Object frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (!(frame instanceof String s)) {
            throw new AssertionError("Expected a text frame within " + WAIT_SECONDS + " s, got " + frame + state());
        }
        return s;
    }

    /** The next text frame that is not a room notice ({@code $room.joined}, {@code $room.left}, ...). */
    String nextIgnoringNotices() throws InterruptedException {
        while (true) {
            String frame = next();
            if (!NOTICE.matcher(frame).lookingAt()) {
                return frame;
            }
        }
    }

    byte[] nextBinary() throws InterruptedException {
        Object frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (!(frame instanceof byte[] b)) {
            throw new AssertionError("Expected a binary frame within " + WAIT_SECONDS + " s, got " + frame + state());
        }
        return b;
    }

    /** What a failed wait reports of the connection: whether and how the server closed it. */
    private String state() {
        return closeCode.isDone() ? " (closed: " + closeCode.join() + " " + closeReason + ")" : " (still open)";
    }

    /**
     * Proves nothing else was queued for this client: sends a fresh {@code ping} request and requires the very
     * next frame to be its reply. The server sends one connection's frames in the order it queued them, so any
     * frame queued before the request would arrive first. (Needs the tests' {@code ping} route.)
     */
    void assertNothingQueued() throws Exception {
        String id = "barrier-" + barriers.incrementAndGet();
        send("{\"event\":\"ping\",\"id\":\"" + id + "\"}");
        org.assertj.core.api.Assertions.assertThat(next()).as("the next frame")
                .isEqualTo("{\"event\":\"ping\",\"replyTo\":\"" + id + "\",\"data\":\"pong\"}");
    }

    /** Whatever arrives within the given time, or null. */
    Object poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close code the server sent (or 1006), waiting up to 5 seconds. */
    int closeCode() throws Exception {
        return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** This client's connection on the server, found by asking its id over the wire. */
    dev.covet.websocket.Connection connection(TestServer server) throws Exception {
        send("{\"event\":\"id\",\"id\":\"conn-id\"}");
        while (true) {
            String frame = next();
            if (frame.contains("\"replyTo\":\"conn-id\"")) {
                String id = frame.replaceAll(".*\"data\":\"([^\"]+)\".*", "$1");
                return server.bean(dev.covet.websocket.Connections.class).byId(id).orElseThrow();
            }
        }
    }

    /** The close reason the server sent, once {@link #closeCode} returned. */
    String closeReason() {
        return closeReason;
    }

    boolean isClosed() {
        return closeCode.isDone();
    }

    /** Pings received from the server (the JDK answers each with a pong by itself). */
    int pings() {
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
        closeReason = reason;
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
                // Wait for the server's answer before dropping the socket: an abort racing the close frame makes
                // the server see 1006 instead of the 1000 the client sent.
                closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // No answer in time: the abort below ends the connection anyway.
            }
        }
        socket.abort();
    }
}
