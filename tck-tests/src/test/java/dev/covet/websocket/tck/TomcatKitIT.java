package dev.covet.websocket.tck;

import java.net.URI;
import java.util.Optional;

import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.covet.sample.chat.HealthServlet;
import dev.covet.sample.chat.PageServlet;
import dev.covet.sample.chat.StatsServlet;
import dev.covet.sample.chat.TokenServlet;

/**
 * The kit on embedded Tomcat 10.1 with Weld Servlet: the chat sample's servlets and init-parameters, and every
 * {@code ServletContainerInitializer} on the class path (Tomcat's WebSocket support, Weld, Covet), as a WAR gets.
 */
class TomcatKitIT extends CovetKit {

    private static EmbeddedTomcat server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("tomcat");
        server = EmbeddedTomcat.start("tomcat", (tomcat, context) -> {
            Tomcat.addServlet(context, "page", new PageServlet()).addMapping("");
            Tomcat.addServlet(context, "token", new TokenServlet()).addMapping("/api/token");
            Tomcat.addServlet(context, "health", new HealthServlet()).addMapping("/health");
            Tomcat.addServlet(context, "stats", new StatsServlet()).addMapping("/api/stats");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static int port() {
        return server.port();
    }

    /** Stops the application's context while Tomcat keeps running, as the manager's undeploy does. */
    @Override
    protected void undeploy() throws Exception {
        server.context().stop();
    }

    @Override
    protected URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    @Override
    protected Optional<URI> httpRoot() {
        return Optional.of(URI.create("http://127.0.0.1:" + port() + "/"));
    }
}
