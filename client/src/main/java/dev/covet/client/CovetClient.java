package dev.covet.client;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * A client of a Covet endpoint for JVM services, tests and load generators, on the JDK's {@code java.net.http}
 * WebSocket (no container or extra runtime needed). It stays connected until {@link #close()}: it reconnects with
 * capped exponential backoff and full jitter according to the close codes, rejoins its rooms recovering what they
 * missed, queues what is sent while disconnected (bounded), and refreshes its token before it expires.
 *
 * <p>Thread-safe. Every callback (handlers, state listeners, the completion of returned futures) runs on the
 * client's own event thread, never on a thread that does I/O; a callback should not block it. The token supplier
 * runs on a thread of its own and may block.
 */
public final class CovetClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CovetClient.class.getName());
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** Failures of the client itself rather than answers of the server. */
    private static final java.util.Set<String> CLIENT_SIDE = java.util.Set.of("timeout", "disconnected", "queue_full",
            "closed");

    /** Where the connection stands. */
    public enum State {
        CONNECTING, CONNECTED, RECONNECTING, CLOSED
    }

    /**
     * A change of state.
     *
     * @param state the new state
     * @param closure why the last connection ended (null for {@code CONNECTING} and {@code CONNECTED})
     * @param delay the wait before the next attempt ({@code RECONNECTING} only), else null
     */
    public record StateChange(State state, Closure closure, Duration delay) {
    }

    /** Stops a handler; closing twice is harmless. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final CovetClientBuilder options;
    private final Outbox outbox;
    private final ScheduledExecutorService loop;
    private final ExecutorService tokens;
    private final HttpClient http;
    private final Jsonb jsonb = JsonbBuilder.create();
    private final Map<String, List<Consumer<JsonObject>>> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<StateChange>> stateListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CovetClient> firstConnection = new CompletableFuture<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private volatile State state = State.CONNECTING;
    // Everything below is touched only on the event thread.
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Map<String, Room> joined = new LinkedHashMap<>();
    private String token;
    private boolean needsToken;
    private WebSocket socket;
    private int attempts;
    private long openedAt;
    private long ids;
    private ScheduledFuture<?> refresh;
    private boolean closed;

    CovetClient(CovetClientBuilder options) {
        this.options = options;
        int n = CLIENTS.incrementAndGet();
        loop = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "covet-client-" + n));
        tokens = Executors.newSingleThreadExecutor(task -> daemon(task, "covet-client-" + n + "-token"));
        http = options.http != null ? options.http : HttpClient.newBuilder()
                .connectTimeout(options.requestTimeout).build();
        token = options.token;
        outbox = new Outbox(loop, options, (webSocket, reason) -> closedBy(webSocket, 1006, reason));
        loop.execute(this::open);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** @param uri the endpoint, e.g. {@code ws://localhost:8080/ws} */
    public static CovetClientBuilder builder(URI uri) {
        return new CovetClientBuilder(uri);
    }

    /** @return completes when the first connection is open (fails if the client closed for good before) */
    public CompletableFuture<CovetClient> connected() {
        return firstConnection;
    }

    public State state() {
        return state;
    }

    /** @return handshakes attempted since the client was built */
    public int handshakes() {
        return handshakes.get();
    }

    /** Listens to state changes, on the event thread. */
    public Subscription onState(Consumer<StateChange> listener) {
        stateListeners.add(listener);
        return () -> stateListeners.remove(listener);
    }

    /**
     * Handles an event the server pushes to this connection (not a room's: see {@link Room#on}).
     *
     * @param type what {@code data} is bound to (JSON-B)
     */
    public <T> Subscription on(String event, Class<T> type, Consumer<T> handler) {
        Consumer<JsonObject> raw = frame -> handler.accept(bind(frame.get("data"), type));
        handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(raw);
        return () -> handlers.getOrDefault(event, List.of()).remove(raw);
    }

    /**
     * Sends a request and binds the reply's data.
     *
     * @param data bound to JSON with JSON-B, or null for none
     * @param type the reply data's type; {@code Void.class} for an ack
     * @return completes with the reply's data (null for an ack), or fails with a {@link CovetClientException}
     */
    public <R> CompletableFuture<R> request(String event, Object data, Class<R> type) {
        CompletableFuture<JsonValue> answer = new CompletableFuture<>();
        String text = data == null ? null : jsonb.toJson(data);
        loop.execute(() -> {
            String id = Long.toString(++ids);
            outbox.request(id, Frames.envelope(event, id, text), event, answer);
        });
        return answer.thenApply(value -> bind(value, type));
    }

    /** Sends an event without an answer; queued while disconnected (bounded). */
    public void send(String event, Object data) {
        String text = data == null ? null : jsonb.toJson(data);
        loop.execute(() -> {
            try {
                outbox.send(Frames.envelope(event, null, text));
            } catch (CovetClientException e) {
                LOG.log(System.Logger.Level.DEBUG, "{0} not sent: {1}", event, e.getMessage());
            }
        });
    }

    /** @return the room of that name, joined or not; add handlers, then {@link Room#join()} */
    public Room room(String name) {
        synchronized (rooms) {
            return rooms.computeIfAbsent(name, n -> new Room(this, n));
        }
    }

    /** Joins a room: {@code room(name).join()}. */
    public CompletableFuture<Room> join(String name) {
        return room(name).join();
    }

    /**
     * Creates a room ({@code $room.create}: the caller owns and joins it); it is rejoined like a joined room.
     *
     * @param options the other fields of {@code $room.create}: type, maxMembers, historySize, postPolicy, metadata
     */
    public CompletableFuture<Room> create(String name, Map<String, Object> options) {
        return join(room(name), "$room.create", options);
    }

    /** Closes for good with 1000: no reconnection; pending requests fail with {@code closed}. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            closed = true;
            outbox.close(new CovetClientException("closed", "The client was closed"));
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "client closed");
            }
            changeState(State.CLOSED, new Closure(1000, "client closed", Closure.Kind.NORMAL), null);
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing the client: {0}", e.toString());
        }
        loop.shutdown();
        tokens.shutdownNow();
    }

    // ---- rooms (called by Room) -------------------------------------------------------------------------------

    CompletableFuture<Room> join(Room room, String command, Map<String, Object> extra) {
        CompletableFuture<Room> result = new CompletableFuture<>();
        loop.execute(() -> joinOnLoop(room, command, extra, false).whenComplete((answer, error) -> {
            if (error != null) {
                result.completeExceptionally(Frames.unwrap(error));
            } else {
                joined.put(room.name(), room);
                result.complete(room);
            }
        }));
        return result;
    }

    private CompletableFuture<JsonObject> joinOnLoop(Room room, String command, Map<String, Object> extra,
                                                     boolean recovering) {
        Map<String, Object> data = room.joinData(extra);
        return request(command, data, JsonObject.class).whenComplete((answer, error) -> {
            if (error != null) {
                room.refused();
            } else {
                room.joined(answer, recovering);
                loop.execute(room::flush);
            }
        });
    }

    /** On the event thread: the room is gone (a refused rejoin, a deletion), not to be rejoined; it says why. */
    void dropped(Room room, CovetClientException why) {
        joined.remove(room.name(), room);
        room.lost(why);
    }

    CompletableFuture<Void> leave(Room room) {
        loop.execute(() -> joined.remove(room.name()));
        return request("$room.leave", Map.of("room", room.name()), Void.class);
    }

    <T> T bind(JsonValue value, Class<T> type) {
        if (value == null || value == JsonValue.NULL || type == Void.class) {
            return null;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        return jsonb.fromJson(value.toString(), type);
    }

    // ---- connection, on the event thread ------------------------------------------------------------------------

    private void open() {
        if (closed) {
            return;
        }
        changeState(State.CONNECTING, null, null);
        if (options.tokenSupplier != null && (token == null || needsToken)) {
            CompletableFuture.supplyAsync(options.tokenSupplier, tokens).whenCompleteAsync((fresh, error) -> {
                if (error != null) {
                    retry(new Closure(0, "token supplier failed: " + Frames.unwrap(error).getMessage(), Closure.Kind.OTHER));
                    return;
                }
                token = fresh;
                needsToken = false;
                handshake();
            }, loop);
            return;
        }
        handshake();
    }

    private void handshake() {
        if (closed) {
            return;
        }
        handshakes.incrementAndGet();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.requestTimeout)
                .subprotocols("covet");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.buildAsync(options.uri, new Receiver(loop, (webSocket, text) -> {
            if (webSocket == socket) {
                receive(text);
            }
        }, this::closedBy)).whenCompleteAsync((webSocket, error) -> {
            if (error == null) {
                if (closed) {
                    webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "client closed");
                    return;
                }
                socket = webSocket;
                openedAt = System.nanoTime();
                opened();
                return;
            }
            Throwable cause = Frames.unwrap(error);
            if (cause instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                long retryAfter = refused.getResponse().headers().firstValueAsLong("Retry-After").orElse(0);
                needsToken = true;
                retry(new Closure(status, "HTTP " + status + (retryAfter > 0 ? ", Retry-After " + retryAfter : ""),
                        Closure.Kind.of(status, true)), Duration.ofSeconds(retryAfter));
            } else {
                needsToken = true;
                retry(new Closure(1006, String.valueOf(cause.getMessage()), Closure.Kind.DROPPED));
            }
        }, loop);
    }

    private void opened() {
        outbox.attach(socket);
        changeState(State.CONNECTED, null, null);
        firstConnection.complete(this);
        scheduleRefresh(Frames.expiryOf(token));
        // Rooms are rejoined (recovering what they missed) before what was queued meanwhile goes out.
        List<CompletableFuture<JsonObject>> rejoins = new ArrayList<>();
        for (Room room : List.copyOf(joined.values())) {
            rejoins.add(joinOnLoop(room, "$room.join", null, true).whenComplete((answer, error) -> {
                // A rejoin cut short by the connection is tried again on the next one; a refusal drops the room.
                if (error != null && Frames.unwrap(error) instanceof CovetClientException refused
                        && !CLIENT_SIDE.contains(refused.code())) {
                    dropped(room, refused);
                }
            }));
        }
        CompletableFuture.allOf(rejoins.toArray(CompletableFuture[]::new)).handleAsync((done, error) -> {
            outbox.flushQueued();
            return null;
        }, loop);
    }

    private void closedBy(WebSocket webSocket, int code, String reason) {
        if (webSocket != socket) {
            return;
        }
        socket = null;
        if (refresh != null) {
            refresh.cancel(false);
        }
        if (System.nanoTime() - openedAt >= options.stableAfter.toNanos()) {
            attempts = 0;
        }
        outbox.detach(new CovetClientException("disconnected", "Connection closed (" + code + ")"));
        retry(new Closure(code, reason, Closure.Kind.of(code, false)));
    }

    private void retry(Closure closure) {
        retry(closure, Duration.ZERO);
    }

    private void retry(Closure closure, Duration atLeast) {
        if (closed || closure.kind() == Closure.Kind.NORMAL && closure.code() == 1000) {
            closeForGood(closure);
            return;
        }
        Closure.Kind kind = closure.kind();
        if (kind == Closure.Kind.CREDENTIALS_EXPIRED || kind.needsNewToken()) {
            if (options.tokenSupplier == null) {
                closeForGood(closure);
                return;
            }
            needsToken = true;
            if (kind.needsNewToken()) {
                String refused = token;
                CompletableFuture.supplyAsync(options.tokenSupplier, tokens).whenCompleteAsync((fresh, error) -> {
                    if (error != null || fresh == null || fresh.equals(refused)) {
                        closeForGood(closure);
                        return;
                    }
                    token = fresh;
                    needsToken = false;
                    backoff(closure, atLeast);
                }, loop);
                return;
            }
        }
        backoff(closure, atLeast);
    }

    private void backoff(Closure closure, Duration atLeast) {
        long cap = Math.min(options.maxDelay.toMillis(), options.initialDelay.toMillis() << Math.min(attempts, 20));
        long delay = ThreadLocalRandom.current().nextLong(cap + 1);
        if (closure.kind().overloaded()) {
            delay = Math.max(delay, options.overloadedDelay.toMillis());
        }
        delay = Math.max(delay, atLeast.toMillis());
        attempts++;
        changeState(State.RECONNECTING, closure, Duration.ofMillis(delay));
        loop.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    private void closeForGood(Closure closure) {
        closed = true;
        outbox.close(new CovetClientException("closed", "Connection closed for good (" + closure.code() + ")"));
        changeState(State.CLOSED, closure, null);
        firstConnection.completeExceptionally(new CovetClientException("closed", "Closed: " + closure));
    }

    private void changeState(State next, Closure closure, Duration delay) {
        state = next;
        StateChange change = new StateChange(next, closure, delay);
        for (Consumer<StateChange> listener : stateListeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A state listener failed", e);
            }
        }
    }

    private void scheduleRefresh(Long expiresAt) {
        if (refresh != null) {
            refresh.cancel(false);
        }
        if (expiresAt == null || options.tokenSupplier == null) {
            return;
        }
        long delay = Math.max(0, expiresAt * 1000 - options.refreshBefore.toMillis() - System.currentTimeMillis());
        refresh = loop.schedule(() -> CompletableFuture.supplyAsync(options.tokenSupplier, tokens)
                .thenCompose(fresh -> request("$auth.refresh", Map.of("token", fresh), JsonObject.class)
                        .thenApply(answer -> Map.entry(fresh, answer)))
                .whenCompleteAsync((done, error) -> {
                    if (error != null) {
                        LOG.log(System.Logger.Level.DEBUG, "Token refresh failed: {0}", Frames.unwrap(error).toString());
                        return;
                    }
                    token = done.getKey();
                    JsonNumber next = done.getValue().getJsonNumber("expiresAt");
                    scheduleRefresh(next == null ? null : next.longValue());
                }, loop), delay, TimeUnit.MILLISECONDS);
    }

    // ---- frames, on the event thread --------------------------------------------------------------------------

    private void receive(String text) {
        JsonObject frame;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            frame = reader.readObject();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Not a JSON object from the server: {0}", e.toString());
            return;
        }
        if (frame.get("replyTo") instanceof JsonString id && outbox.answer(id.getString(), frame)) {
            return;
        }
        if (frame.get("room") instanceof JsonString room) {
            Room target = joined.get(room.getString());
            if (target == null) {
                synchronized (rooms) {
                    target = rooms.get(room.getString());
                }
            }
            if (target != null) {
                target.deliver(frame);
                return;
            }
        }
        for (Consumer<JsonObject> handler : handlers.getOrDefault(frame.getString("event", ""), List.of())) {
            try {
                handler.accept(frame);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A handler of " + frame.getString("event", "") + " failed", e);
            }
        }
    }
}
