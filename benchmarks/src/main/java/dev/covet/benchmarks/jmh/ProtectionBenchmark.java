package dev.covet.benchmarks.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.DefaultConnection;

/**
 * What connection protection adds per message (the three token buckets) and per connection (admission against
 * the global, per-IP and per-user limits, registration, and removal). Run:
 * {@code benchmarks/run-jmh.sh ProtectionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProtectionBenchmark {

    private BenchmarkRuntime runtime;
    private ConnectionRegistry registry;
    private DefaultConnection connection;

    @Setup(Level.Trial)
    public void start() throws Exception {
        runtime = new BenchmarkRuntime(Map.of("covet.rate.messages-per-second", "1000000",
                "covet.rate.messages-per-minute", "60000000", "covet.rate.bytes-per-second", "1073741824",
                "covet.connections.max", "10000000", "covet.connections.max-per-ip", "10000000"));
        registry = runtime.bean(ConnectionRegistry.class);
        connection = runtime.connection("jmh");
    }

    @TearDown(Level.Trial)
    public void stop() {
        runtime.close();
    }

    /** The token-bucket check every inbound message pays (uncontended: one connection's messages are serial). */
    @Benchmark
    public long tokenBuckets() {
        return connection.acquire(100, System.nanoTime());
    }

    /** Admission, registration and removal of one connection, from two threads at once. */
    @Benchmark
    @Threads(2)
    public int admitRegisterRemove(ThreadConnections mine) {
        registry.admit(mine.ip, null);
        registry.add(mine.connection);
        registry.remove(mine.connection, mine.ip, null);
        mine.renew(runtime);
        return registry.count();
    }

    /** Each thread's connection, renewed after removal since a connection gives its slots back once. */
    @State(Scope.Thread)
    public static class ThreadConnections {
        private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();
        String ip;
        DefaultConnection connection;

        @Setup(Level.Trial)
        public void create(ProtectionBenchmark benchmark) {
            ip = "10.0.0." + NEXT.incrementAndGet();
            renew(benchmark.runtime);
        }

        void renew(BenchmarkRuntime runtime) {
            connection = runtime.connection("c");
        }
    }
}
