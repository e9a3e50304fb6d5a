package dev.covet.benchmarks;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.jboss.weld.environment.se.Weld;

import dev.covet.websocket.Covet;

/**
 * Serves both sides of the echo and fan-out benchmarks in one Tyrus (Grizzly) + Weld SE process: {@code /bare}
 * and {@code /bare-fanout} (bare JSR-356 endpoints) and {@code /ws} (Covet, anonymous), so both are measured in
 * the same container and run.
 * Usage: {@code EchoServer PORT}; runs until killed.
 */
public final class EchoServer {

    private static final System.Logger LOG = System.getLogger(EchoServer.class.getName());

    private EchoServer() {
    }

    /**
     * Starts the server.
     *
     * @param args the port
     * @throws Exception when startup fails
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        if ("simple".equals(System.getenv("COVET_BENCH_METERS"))) {
            BenchMeters.addSimpleRegistry();
        }
        new Weld().containerId("covet-bench").initialize();
        ServerContainer tyrus = ServerContainerFactory.createServerContainer(Map.of());
        tyrus.addEndpoint(ServerEndpointConfig.Builder.create(BareEcho.class, "/bare").build());
        tyrus.addEndpoint(ServerEndpointConfig.Builder.create(BareFanout.class, "/bare-fanout").build());
        // Load from one IP at hundreds of messages per second per connection: lift the protective defaults.
        // Tokens (for the idle-connection heap benchmark) use the secret in run-heap.sh; the echo load is anonymous.
        Covet.Installation covet = Covet.install(tyrus, Map.ofEntries(
                Map.entry("covet.auth.anonymous", "true"),
                Map.entry("covet.auth.jwt.secret", "covet-benchmark-secret-covet-benchmark-secret"),
                Map.entry("covet.auth.jwt.issuer", "covet-bench"),
                Map.entry("covet.auth.jwt.audience", "covet-bench"),
                Map.entry("covet.connections.max", "100000"),
                Map.entry("covet.connections.max-per-user", "100000"),
                Map.entry("covet.connections.max-per-ip", "100000"),
                Map.entry("covet.rate.messages-per-second", "1000000"),
                Map.entry("covet.rate.messages-per-minute", "60000000"),
                Map.entry("covet.rate.bytes-per-second", "1073741824"),
                Map.entry("covet.rooms.max-members", "100000"),
                Map.entry("covet.outbound.max-messages", "100000"),
                Map.entry("covet.outbound.max-bytes", "1073741824")));
        tyrus.start("/", port);
        LOG.log(System.Logger.Level.INFO, "Echo benchmark server ready on port {0}", String.valueOf(port));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            covet.close();
            tyrus.stop();
            stop.countDown();
        }));
        stop.await();
    }
}
