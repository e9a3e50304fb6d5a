package dev.covet.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A room as the client sees it: its messages and pushes by event, delivered once each in offset order across
 * reconnections (the client rejoins with {@code since} and {@code epoch}), plus the gap and recovery notices that
 * tell the application to reload. Handlers may be added before {@link #join()}, so that nothing the join brings is
 * missed. All methods are thread-safe; handlers run on the client's event thread.
 */
public final class Room {

    /**
     * One message or push of the room.
     *
     * @param event the event name
     * @param offset the room offset of a durable message, or -1 for a push or notice
     * @param data the data, bound to the handler's type (null when absent)
     */
    public record Delivery<T>(String event, long offset, T data) {
    }

    /** A {@code $room.gap}: messages {@code from} to {@code to} were lost between nodes and are gone. */
    public record Gap(long from, long to) {
    }

    private final CovetClient client;
    private final String name;
    private final Map<String, List<Consumer<JsonObject>>> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<Gap>> gaps = new CopyOnWriteArrayList<>();
    private final List<Runnable> recoveryFailures = new CopyOnWriteArrayList<>();
    private final List<Consumer<CovetClientException>> losses = new CopyOnWriteArrayList<>();
    // Touched only on the client's event thread.
    private long offset = -1;
    private String epoch;
    private long joinedAt = -1;
    private List<JsonObject> waiting;
    private volatile long lastOffset = -1;
    private volatile String lastEpoch;

    Room(CovetClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** @return the last offset delivered, or -1 before any */
    public long offset() {
        return lastOffset;
    }

    /** @return the room's epoch from the last join, or null before it */
    public String epoch() {
        return lastEpoch;
    }

    /**
     * Handles an event of the room.
     *
     * @param event the event name, e.g. {@code chat.message}
     * @param type what {@code data} is bound to (JSON-B)
     * @param handler called on the client's event thread
     * @return stops handling when closed
     */
    public <T> CovetClient.Subscription on(String event, Class<T> type, Consumer<Delivery<T>> handler) {
        Consumer<JsonObject> raw = frame -> handler.accept(new Delivery<>(event,
                frame.containsKey("offset") ? frame.getJsonNumber("offset").longValueExact() : -1,
                client.bind(frame.get("data"), type)));
        handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(raw);
        return () -> handlers.getOrDefault(event, List.of()).remove(raw);
    }

    /** Called on a {@code $room.gap}: reload the room's history. */
    public CovetClient.Subscription onGap(Consumer<Gap> handler) {
        gaps.add(handler);
        return () -> gaps.remove(handler);
    }

    /** Called when a rejoin could not recover what was missed ({@code recovered:false}): reload the room. */
    public CovetClient.Subscription onRecoveryFailed(Runnable handler) {
        recoveryFailures.add(handler);
        return () -> recoveryFailures.remove(handler);
    }

    /**
     * Called when the room is dropped: a rejoin after a reconnection was refused (e.g. banned meanwhile), or the room
     * was deleted (code {@code room_deleted}, after the handlers of {@code $room.deleted}).
     */
    public CovetClient.Subscription onLost(Consumer<CovetClientException> handler) {
        losses.add(handler);
        return () -> losses.remove(handler);
    }

    /**
     * Joins ({@code $room.join}), recovering what was missed when it was joined before; it is rejoined after every
     * reconnection until {@link #leave()}.
     *
     * @return completes with this room when the server admitted the connection
     */
    public CompletableFuture<Room> join() {
        return client.join(this, "$room.join", null);
    }

    /** Leaves the room; it is no longer rejoined. */
    public CompletableFuture<Void> leave() {
        return client.leave(this);
    }

    /** @return the room's presence, as {@code $presence} answers it */
    public CompletableFuture<JsonObject> presence() {
        return client.request("$presence", Map.of("room", name), JsonObject.class);
    }

    // ---- on the client's event thread ----------------------------------------------------------------------------

    /** @return the {@code $room.join} data: with since and epoch when something was delivered before */
    Map<String, Object> joinData(Map<String, Object> options) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        if (options != null) {
            data.putAll(options);
        }
        data.put("room", name);
        if (offset >= 0 && epoch != null) {
            data.put("since", offset);
            data.put("epoch", epoch);
        }
        flush();
        waiting = new ArrayList<>();
        return data;
    }

    /** The join was answered: frames that waited are delivered in a task of their own, after the caller's. */
    void joined(JsonObject answer, boolean recovering) {
        boolean recovered = answer.getBoolean("recovered", false);
        if (!recovered) {
            if (recovering) {
                recoveryFailures.forEach(Runnable::run);
            }
            offset = -1;
        }
        epoch = answer.getString("epoch", null);
        lastEpoch = epoch;
        joinedAt = answer.getJsonNumber("offset").longValue();
    }

    void refused() {
        waiting = null;
    }

    void lost(CovetClientException error) {
        losses.forEach(handler -> handler.accept(error));
    }

    void flush() {
        List<JsonObject> held = waiting;
        if (held == null) {
            return;
        }
        waiting = null;
        held.forEach(this::deliver);
        if (offset < joinedAt) {
            offset = joinedAt;
            lastOffset = offset;
        }
    }

    void deliver(JsonObject frame) {
        if (waiting != null) {
            waiting.add(frame);
            return;
        }
        JsonValue at = frame.get("offset");
        if (at instanceof JsonNumber number) {
            long next = number.longValue();
            if (offset >= 0 && next <= offset) {
                return;
            }
            offset = next;
            lastOffset = next;
        }
        String event = frame.getString("event", "");
        if ("$room.gap".equals(event)) {
            JsonObject data = frame.getJsonObject("data");
            Gap gap = new Gap(data.getJsonNumber("from").longValue(), data.getJsonNumber("to").longValue());
            gaps.forEach(handler -> handler.accept(gap));
            return;
        }
        handlers.getOrDefault(event, List.of()).forEach(handler -> handler.accept(frame));
        if ("$room.deleted".equals(event)) {
            // Rejoining would create the room afresh where the server auto-creates rooms: it is dropped instead.
            client.dropped(this, new CovetClientException("room_deleted", "Room '" + name + "' was deleted"));
        }
    }
}
