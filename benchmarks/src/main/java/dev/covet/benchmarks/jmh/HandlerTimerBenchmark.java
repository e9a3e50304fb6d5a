package dev.covet.benchmarks.jmh;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What one recording of the {@code covet.handler} timer costs, the only meter recorded per message (the echo half
 * of the metrics-cost benchmark disagreed between two runs, 0.991 and 0.888): Covet's configuration (client-side
 * p50/p95/p99), the same with a one-buffer percentile window, a Prometheus-style histogram, and a plain timer.
 * Two threads record into one timer, as two container threads do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class HandlerTimerBenchmark {

    @Param({"percentiles", "percentiles-one-buffer", "histogram", "plain"})
    public String timer;

    private Timer recorder;

    @Setup
    public void setUp() {
        Timer.Builder builder = Timer.builder("covet.handler");
        switch (timer) {
            case "percentiles" -> builder.publishPercentiles(0.5, 0.95, 0.99);
            case "percentiles-one-buffer" -> builder.publishPercentiles(0.5, 0.95, 0.99)
                    .distributionStatisticBufferLength(1);
            case "histogram" -> builder.publishPercentileHistogram();
            default -> {
                // A count, a total and a max only.
            }
        }
        recorder = builder.register(new SimpleMeterRegistry());
    }

    @Benchmark
    public void record() {
        recorder.record(ThreadLocalRandom.current().nextLong(20_000, 2_000_000), TimeUnit.NANOSECONDS);
    }
}
