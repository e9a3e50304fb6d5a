package dev.covet.websocket.impl.connection;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.impl.routing.RouteExtension;

/**
 * The library's {@link CovetStats}: striped counters, cheap to bump from any container thread.
 *
 * <p>Callers hold a client proxy: counters are reached only through methods, never fields.
 */
@ApplicationScoped
public class Counters implements CovetStats {

    @Inject
    RouteExtension routes;
    @Inject
    LocalRooms rooms;

    private final LongAdder open = new LongAdder();
    private final LongAdder endpoints = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder rateLimitCloses = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder slowConsumerCloses = new LongAdder();
    private final LongAdder heartbeatTimeouts = new LongAdder();
    private final LongAdder tooBigCloses = new LongAdder();
    private final LongAdder compressed = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder authFailureCloses = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    /**
     * This instance itself, for callers that hold it instead of its client proxy: the bean is application-scoped,
     * so the instance lasts as long as the deployment, and the proxy would look it up on every call (several calls
     * per frame on the message path). In a supplier, because a CDI proxy hands itself back from a method that
     * returns {@code this}.
     *
     * @return a supplier of this instance
     */
    public Supplier<Counters> unproxied() {
        return () -> this;
    }

    @Override
    public Snapshot snapshot() {
        Map<String, Long> refusals = new TreeMap<>();
        refused.forEach((reason, count) -> refusals.put(reason, count.sum()));
        Map<String, Handler> handlers = new TreeMap<>();
        routes.handlerStats().forEach((event, stats) -> handlers.put(event, stats.snapshot()));
        return new Snapshot(open.sum(), endpoints.sum(), opened.sum(), Map.copyOf(refusals), messagesIn.sum(),
                bytesIn.sum(), messagesOut.sum(), bytesOut.sum(), rateLimited.sum(), rateLimitCloses.sum(), dropped.sum(),
                slowConsumerCloses.sum(), heartbeatTimeouts.sum(), tooBigCloses.sum(), compressed.sum(),
                authFailures.sum(), authFailureCloses.sum(), Map.copyOf(handlers), rooms.clusterStats());
    }

    @Override
    public Map<String, Room> rooms() {
        return java.util.Collections.unmodifiableMap(rooms.roomFigures());
    }

    /** Counts an endpoint instance CDI created ({@code +1}) or destroyed ({@code -1}). */
    public void endpoints(int change) {
        endpoints.add(change);
    }

    /** Counts a refused handshake. */
    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Counts an admitted connection. */
    public void opened(boolean compressedConnection) {
        opened.increment();
        open.increment();
        if (compressedConnection) {
            compressed.increment();
        }
    }

    /** Counts a closed connection that had been admitted. */
    public void closed() {
        open.decrement();
    }

    /** Counts an inbound message. */
    public void received(long bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    /** Counts a frame handed to the container. */
    public void sent(long size) {
        messagesOut.increment();
        bytesOut.add(size);
    }

    /** Counts a broadcast dropped by the drop-oldest policy. */
    public void dropped() {
        dropped.increment();
    }

    /** Counts a slow-consumer close. */
    public void slowConsumerClose() {
        slowConsumerCloses.increment();
    }

    /** Counts a message refused by a rate limit. */
    public void rateLimited() {
        rateLimited.increment();
    }

    /** Counts a close for persistent rate-limit abuse. */
    public void rateLimitClose() {
        rateLimitCloses.increment();
    }

    /** Counts a close for an oversize message. */
    public void tooBig() {
        tooBigCloses.increment();
    }

    /** Counts a heartbeat timeout close. */
    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    /** Counts an in-band token that did not verify; {@code closed} when it closed the connection. */
    public void authFailure(boolean closed) {
        authFailures.increment();
        if (closed) {
            authFailureCloses.increment();
        }
    }
}
