package dev.covet.sample.chat;

import java.util.ServiceLoader;

import jakarta.servlet.ServletContainerInitializer;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the chat on embedded Jetty 12 (ee10) with Weld: {@code PORT} (default 8080) and {@code HOST} (default: all
 * interfaces) from the environment.
 *
 * <p>Like a real servlet container, it starts every {@code ServletContainerInitializer} on the class path
 * (Jetty's WebSocket support, Weld Servlet, Covet), so the application code is exactly what the WAR deploys.
 */
public final class ChatServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChatServer.class.getName());
    /**
     * How long a connection may stay silent before its request is complete (a handshake that never finishes is
     * dropped then); an upgraded WebSocket has its own idle handling (Covet's heartbeats).
     */
    static final long HTTP_IDLE_TIMEOUT_MILLIS = 10_000;
    /** Open TCP connections Jetty accepts at once: Covet's default limit (10,000) plus room for plain HTTP. */
    static final int MAX_TCP_CONNECTIONS = 11_000;

    private final Server server;

    private ChatServer(Server server) {
        this.server = server;
    }

    /**
     * Starts the chat.
     *
     * @param host the interface to bind, or null for all
     * @param port the port, or 0 for a free one
     * @return the running server
     * @throws Exception when Jetty or the deployment fails
     */
    public static ChatServer start(String host, int port) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(8192);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(HTTP_IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_TCP_CONNECTIONS, connector));
        ServletContextHandler context = new ServletContextHandler("/");
        ChatSettings.DEVELOPMENT.forEach((key, value) -> {
            if (ChatSettings.fromSystem(key).isEmpty()) {
                context.setInitParameter(key, value);
            }
        });
        context.addServlet(PageServlet.class, "");
        context.addServlet(TokenServlet.class, "/api/token");
        context.addServlet(HealthServlet.class, "/health");
        context.addServlet(StatsServlet.class, "/api/stats");
        for (ServletContainerInitializer initializer : ServiceLoader.load(ServletContainerInitializer.class)) {
            context.addServletContainerInitializer(initializer);
        }
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("The chat application failed to deploy; see the log above");
        }
        return new ChatServer(server);
    }

    /** @return the bound port */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * Stops the application, then Jetty: the application's connections are closed with 1001 while the connectors
     * still run (stopping the server alone closes the sockets first, and clients see 1006).
     */
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
     * Starts the chat in the foreground.
     *
     * @param args ignored
     * @throws Exception when startup fails
     */
    public static void main(String[] args) throws Exception {
        String port = System.getenv().getOrDefault("PORT", "8080");
        ChatServer chat = start(System.getenv("HOST"), Integer.parseInt(port));
        LOG.log(System.Logger.Level.INFO, "Covet chat sample on http://localhost:{0}/ (WebSocket at /ws)",
                String.valueOf(chat.port()));
        chat.server.join();
    }
}
