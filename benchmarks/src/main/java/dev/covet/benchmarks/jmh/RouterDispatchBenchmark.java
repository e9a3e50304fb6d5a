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
import org.openjdk.jmh.annotations.Warmup;

import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.routing.Router;

/**
 * The CPU cost of routing one message: decode, bind (JSON-B), validate (Bean Validation), call the observer, write
 * the reply and queue it. The socket is replaced by a session whose sends complete at once, so only Covet's work
 * is measured. Run: {@code benchmarks/run-jmh.sh RouterDispatchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterDispatchBenchmark {

    private static final String ECHO = "{\"event\":\"echo\",\"id\":\"1\",\"data\":{\"text\":\"The quick brown fox "
            + "jumps over the lazy dog\",\"n\":42}}";
    private static final String UNKNOWN = "{\"event\":\"nope\",\"id\":\"1\",\"data\":{\"text\":\"x\"}}";

    private BenchmarkRuntime runtime;
    private Router router;
    private DefaultConnection connection;

    @Setup(Level.Trial)
    public void start() throws Exception {
        runtime = new BenchmarkRuntime(Map.of());
        // As the endpoint calls it: the router itself, not its client proxy.
        router = runtime.bean(Router.class).unproxied().get();
        connection = runtime.connection("jmh");
    }

    @TearDown(Level.Trial)
    public void stop() {
        runtime.close();
    }

    /** A routed request with a validated record payload and a reply. */
    @Benchmark
    public long echo() {
        router.onText(connection, ECHO);
        return runtime.sent();
    }

    /** The cheapest answered path: decode, no route, an error envelope. */
    @Benchmark
    public long unknownEvent() {
        router.onText(connection, UNKNOWN);
        return runtime.sent();
    }
}
