package dev.covet.websocket.tck;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

import jakarta.servlet.ServletContainerInitializer;

import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.covet.sample.chat.DevTokens;
import dev.covet.sample.chat.HealthServlet;
import dev.covet.sample.chat.StatsServlet;
import dev.covet.sample.chat.PageServlet;
import dev.covet.sample.chat.TokenServlet;

/**
 * The kit on embedded Tomcat 10.1 with Weld Servlet: the chat sample's servlets and init-parameters, and every
 * {@code ServletContainerInitializer} on the class path (Tomcat's WebSocket support, Weld, Covet), as a WAR gets.
 */
class TomcatKitIT extends CovetKit {

    private static Tomcat tomcat;
    private static Path baseDir;
    private static Context context;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("tomcat");
        baseDir = ServerProcesses.workDir("tomcat-");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        context = tomcat.addContext("", Files.createDirectories(baseDir.resolve("webapp")).toString());
        DevTokens.developmentSettings().forEach(context::addParameter);
        Tomcat.addServlet(context, "page", new PageServlet()).addMapping("");
        Tomcat.addServlet(context, "token", new TokenServlet()).addMapping("/api/token");
        Tomcat.addServlet(context, "health", new HealthServlet()).addMapping("/health");
        Tomcat.addServlet(context, "stats", new StatsServlet()).addMapping("/api/stats");
        Tomcat.addServlet(context, "default", new DefaultServlet()).addMapping("/");
        for (ServletContainerInitializer initializer : ServiceLoader.load(ServletContainerInitializer.class)) {
            context.addServletContainerInitializer(initializer, null);
        }
        tomcat.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** Stops the application's context while Tomcat keeps running, as the manager's undeploy does. */
    @Override
    protected void undeploy() throws Exception {
        context.stop();
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
