package dev.covet.benchmarks.jmh;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
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

import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.OutboundLimits;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.routing.Router;

/**
 * The CPU cost of routing one message: decode, bind (JSON-B), validate (Bean Validation), call the observer, write
 * the reply and queue it. The socket is replaced by a session whose sends complete at once, so only Covet's work
 * is measured. Run: {@code java -cp ... org.openjdk.jmh.Main RouterDispatchBenchmark}.
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

    private final AtomicLong sent = new AtomicLong();
    private WeldContainer weld;
    private Router router;
    private DefaultConnection connection;

    @Setup(Level.Trial)
    public void start() throws Exception {
        weld = new Weld().containerId("covet-jmh").initialize();
        Map<String, String> settings = Map.of("covet.auth.anonymous", "true");
        CovetConfig config = CovetConfig.load(ConfigSource.standard(settings::get));
        weld.select(CurrentConfig.class).get().set(config);
        router = weld.select(Router.class).get();
        connection = new DefaultConnection(session(), null, null, weld.select(Envelopes.class).get(),
                weld.select(Counters.class).get(), OutboundLimits.of(config), config);
    }

    @TearDown(Level.Trial)
    public void stop() {
        weld.shutdown();
    }

    /** A routed request with a validated record payload and a reply. */
    @Benchmark
    public long echo() {
        router.onText(connection, ECHO);
        return sent.get();
    }

    /** The cheapest answered path: decode, no route, an error envelope. */
    @Benchmark
    public long unknownEvent() {
        router.onText(connection, UNKNOWN);
        return sent.get();
    }

    private Session session() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.addAndGet(((String) args[0]).length());
                        ((SendHandler) args[1]).onResult(new SendResult());
                    }
                    return null;
                });
        Map<String, Object> properties = new HashMap<>();
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "jmh";
                    case "getUserProperties" -> properties;
                    case "isOpen" -> true;
                    default -> null;
                });
    }
}
