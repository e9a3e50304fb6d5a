package dev.covet.benchmarks;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jakarta.websocket.server.ServerEndpointConfig;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.jboss.weld.environment.se.Weld;

import dev.covet.websocket.Covet;

/**
 * Serves both sides of the echo and fan-out benchmarks in one process, on Tyrus (Grizzly) or on Jetty 12 (ee10),
 * with Weld SE: {@code /bare} and {@code /bare-fanout} (bare JSR-356 endpoints) and {@code /ws} (Covet, anonymous
 * or JWT), so both are measured in the same container and run.
 * Usage: {@code EchoServer PORT [tyrus|jetty]} (or {@code COVET_BENCH_CONTAINER}); runs until killed.
 */
public final class EchoServer {

    private static final System.Logger LOG = System.getLogger(EchoServer.class.getName());

    /**
     * Load from one IP at hundreds of messages per second per connection: the protective defaults lifted. Tokens
     * (for the idle-connection heap and connect-rate benchmarks) use this secret; the echo load is anonymous.
     */
    private static final Map<String, String> SETTINGS = Map.ofEntries(
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
            Map.entry("covet.outbound.max-bytes", "1073741824"));

    private EchoServer() {
    }

    /**
     * Starts the server.
     *
     * @param args the port, and {@code tyrus} (default) or {@code jetty}
     * @throws Exception when startup fails
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String container = args.length > 1 ? args[1] : System.getenv().getOrDefault("COVET_BENCH_CONTAINER", "tyrus");
        if ("simple".equals(System.getenv("COVET_BENCH_METERS"))) {
            BenchMeters.addSimpleRegistry();
        }
        new Weld().containerId("covet-bench").initialize();
        Runnable stopper = "jetty".equals(container) ? jetty(port) : tyrus(port);
        LOG.log(System.Logger.Level.INFO, "Echo benchmark server ({0}) ready on port {1}", container,
                String.valueOf(port));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopper.run();
            stop.countDown();
        }));
        stop.await();
    }

    private static Runnable tyrus(int port) throws Exception {
        ServerContainer tyrus = ServerContainerFactory.createServerContainer(Map.of());
        addBareEndpoints(tyrus);
        Covet.Installation covet = Covet.install(tyrus, SETTINGS);
        tyrus.start("/", port);
        return () -> {
            covet.close();
            tyrus.stop();
        };
    }

    /** Jetty 12 as the chat sample runs it, on 127.0.0.1, without an HTTP idle limit on upgraded connections. */
    private static Runnable jetty(int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        Covet.Installation[] covet = new Covet.Installation[1];
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            addBareEndpoints(container);
            covet[0] = Covet.install(container, SETTINGS);
        });
        server.setHandler(context);
        server.start();
        return () -> {
            try {
                covet[0].close();
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void addBareEndpoints(jakarta.websocket.server.ServerContainer container)
            throws jakarta.websocket.DeploymentException {
        container.addEndpoint(ServerEndpointConfig.Builder.create(BareEcho.class, "/bare").build());
        container.addEndpoint(ServerEndpointConfig.Builder.create(BareFanout.class, "/bare-fanout").build());
    }
}
