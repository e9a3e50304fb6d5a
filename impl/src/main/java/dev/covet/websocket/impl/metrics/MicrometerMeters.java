package dev.covet.websocket.impl.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.impl.routing.HandlerStats;

/**
 * The library's figures as Micrometer meters named {@code covet.*}, bound to the application's {@link MeterRegistry}
 * bean, or to {@link Metrics#globalRegistry} without one. Loaded only when Micrometer is on the class path. Counts
 * are read from {@link CovetStats} when the registry is scraped (nothing is added on the message path); handler
 * timers are recorded per call, into percentile histograms. Every meter carries the tag {@code app} (the context path), so
 * two applications in one server do not clash; the {@code event} tag takes only declared event names.
 */
final class MicrometerMeters implements AutoCloseable {

    /** Refusal reasons {@link CovetStats.Snapshot#refused()} can hold. */
    private static final List<String> REFUSALS = List.of("unauthorized", "origin", "forbidden", "capacity",
            "capacity-ip", "capacity-user", "shutting-down");

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, HandlerStats> handlers;
    /** Read by every gauge and counter; held here because Micrometer holds it only weakly. */
    private final Supplier<CovetStats.Snapshot> now;

    private MicrometerMeters(MeterRegistry registry, Map<String, HandlerStats> handlers, CovetStats stats) {
        this.registry = registry;
        this.handlers = handlers;
        this.now = stats::snapshot;
    }

    /**
     * Registers the meters.
     *
     * @param stats the deployment's statistics
     * @param handlers each declared event's handler statistics
     * @param app the application's context path ({@code "/"} for the root)
     * @return the binding, closed to remove the meters (typed {@link AutoCloseable}, so that callers never load this
     *     class without Micrometer)
     */
    static AutoCloseable bind(CovetStats stats, Map<String, HandlerStats> handlers, String app) {
        Instance<MeterRegistry> own = CDI.current().select(MeterRegistry.class);
        MeterRegistry registry = own.isResolvable() ? own.get() : Metrics.globalRegistry;
        MicrometerMeters meters = new MicrometerMeters(registry, handlers, stats);
        meters.register(meters.now, Tags.of("app", app));
        return meters;
    }

    private void register(Supplier<CovetStats.Snapshot> now, Tags app) {
        meters.add(Gauge.builder("covet.connections", now, s -> s.get().open()).tags(app)
                .description("Connections open now").register(registry));
        counter("covet.connections.opened", now, s -> s.opened(), app, "Connections admitted");
        for (String reason : REFUSALS) {
            counter("covet.connections.refused", now, s -> s.refused().getOrDefault(reason, 0L), app.and("reason",
                    reason), "Handshakes refused, by reason");
        }
        counter("covet.connections.compressed", now, s -> s.compressedConnections(), app,
                "Connections admitted with permessage-deflate");
        counter("covet.messages.in", now, s -> s.messagesIn(), app, "Messages received");
        counter("covet.messages.out", now, s -> s.messagesOut(), app, "Frames sent");
        counter("covet.bytes.in", now, s -> s.bytesIn(), app, "Bytes received");
        counter("covet.bytes.out", now, s -> s.bytesOut(), app, "Bytes (characters of text) sent");
        counter("covet.rate.limited", now, s -> s.rateLimited(), app, "Messages refused with rate_limited");
        counter("covet.broadcasts.dropped", now, s -> s.dropped(), app,
                "Queued broadcasts dropped under drop-oldest");
        counter("covet.auth.failures", now, s -> s.authFailures(), app, "In-band tokens that did not verify");
        counter("covet.closes", now, s -> s.rateLimitCloses(), app.and("reason", "rate-limit"),
                "Connections the library closed, by reason");
        counter("covet.closes", now, s -> s.slowConsumerCloses(), app.and("reason", "slow-consumer"), null);
        counter("covet.closes", now, s -> s.heartbeatTimeouts(), app.and("reason", "heartbeat-timeout"), null);
        counter("covet.closes", now, s -> s.tooBigCloses(), app.and("reason", "too-big"), null);
        counter("covet.closes", now, s -> s.authFailureCloses(), app.and("reason", "auth-failures"), null);
        meters.add(Gauge.builder("covet.cluster.connected", now, s -> "down".equals(s.get().cluster().state()) ? 0 : 1)
                .tags(app).description("1 while this node reaches its cluster (always 1 on a single node)")
                .register(registry));
        counter("covet.cluster.reconnects", now, s -> s.cluster().reconnects(), app, "Cluster subscriber reconnects");
        counter("covet.cluster.gaps", now, s -> s.cluster().gapsFilled(), app.and("outcome", "filled"),
                "Messages lost between nodes: filled from history, or reported to clients");
        counter("covet.cluster.gaps", now, s -> s.cluster().gapsReported(), app.and("outcome", "reported"), null);
        counter("covet.cluster.malformed", now, s -> s.cluster().malformed(), app,
                "Messages from other nodes not understood");
        counter("covet.cluster.publish.failures", now, s -> s.cluster().publishFailures(), app,
                "Messages to other nodes that could not be published");
        handlers.forEach((event, handler) -> {
            Timer success = handlerTimer(app.and("event", event, "outcome", "success"));
            Timer error = handlerTimer(app.and("event", event, "outcome", "error"));
            meters.add(success);
            meters.add(error);
            handler.alsoTo((nanos, failed) -> (failed ? error : success).record(nanos, TimeUnit.NANOSECONDS));
        });
    }

    private Timer handlerTimer(Tags tags) {
        // A percentile histogram (buckets from 100 µs to 10 s), not client-side percentiles: one record costs about
        // 0.3 µs instead of 1.7 µs with two threads recording (HandlerTimerBenchmark), and buckets aggregate across
        // nodes, which computed percentiles never do.
        return Timer.builder("covet.handler").tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .description("Time in an event's handler").register(registry);
    }

    private void counter(String name, Supplier<CovetStats.Snapshot> now, ToDoubleFunction<CovetStats.Snapshot> figure,
                         Tags tags, String description) {
        meters.add(FunctionCounter.builder(name, now, s -> figure.applyAsDouble(s.get())).tags(tags)
                .description(description).register(registry));
    }

    /** Removes the meters and stops recording handler calls. */
    @Override
    public void close() {
        handlers.values().forEach(handler -> handler.alsoTo(null));
        meters.forEach(registry::remove);
        meters.clear();
    }
}
