package dev.covet.benchmarks;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Gives the global Micrometer registry a real registry, so that Covet's meters record (the handler timer with its
 * percentiles) as they would in an application that exports metrics. Used only when {@code COVET_BENCH_METERS=simple}.
 */
final class BenchMeters {

    private BenchMeters() {
    }

    static void addSimpleRegistry() {
        Metrics.globalRegistry.add(new SimpleMeterRegistry());
    }
}
