package dev.covet.sample.dashboard;

import java.util.Map;
import java.util.ServiceLoader;

import jakarta.servlet.ServletContainerInitializer;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the dashboard on embedded Jetty 12 (ee10) with Weld: {@code PORT} (default 8090) and {@code HOST} (default:
 * all interfaces) from the environment. Every {@code ServletContainerInitializer} on the class path starts, as in a
 * servlet container (Jetty's WebSocket support, Weld, Covet).
 */
public final class DashboardServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DashboardServer.class.getName());

    /**
     * The sample's settings. Clients may not make rooms (only the server does: the feed's room and the load's), so
     * nobody can take the feed's name first. DEVELOPMENT ONLY: the JWT secret the token endpoint signs with.
     */
    static final Map<String, String> SETTINGS = Map.of(
            "covet.auth.jwt.secret", "covet-sample-dashboard-development-secret",
            "covet.auth.jwt.issuer", "covet-sample-dashboard",
            "covet.auth.jwt.audience", "covet-sample-dashboard",
            "covet.rooms.auto-create", "false",
            "covet.rooms.client-create", "false");

    private final Server server;

    private DashboardServer(Server server) {
        this.server = server;
    }

    /**
     * Starts the dashboard.
     *
     * @param host the interface to bind, or null for all
     * @param port the port, or 0 for a free one
     * @return the running server
     * @throws Exception when Jetty or the deployment fails
     */
    public static DashboardServer start(String host, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        SETTINGS.forEach(context::setInitParameter);
        context.addServlet(StaticServlet.class, "/");
        context.addServlet(TokenServlet.class, "/api/token");
        context.addServlet(MetricsServlet.class, "/metrics");
        for (ServletContainerInitializer initializer : ServiceLoader.load(ServletContainerInitializer.class)) {
            context.addServletContainerInitializer(initializer);
        }
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("The dashboard failed to deploy; see the log above");
        }
        return new DashboardServer(server);
    }

    /** @return the bound port */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Stops the application (its connections close with 1001), then Jetty. */
    @Override
    public void close() {
        try {
            server.getHandler().stop();
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Stopping Jetty failed", e);
        }
    }

    /**
     * Starts the dashboard in the foreground.
     *
     * @param args ignored
     * @throws Exception when startup fails
     */
    public static void main(String[] args) throws Exception {
        DashboardServer dashboard = start(System.getenv("HOST"),
                Integer.parseInt(System.getenv().getOrDefault("PORT", "8090")));
        LOG.log(System.Logger.Level.INFO, "Covet dashboard sample on http://localhost:{0}/ (metrics at /metrics)",
                String.valueOf(dashboard.port()));
        dashboard.server.join();
    }
}
