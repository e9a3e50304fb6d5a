package dev.covet.websocket.tck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.BiConsumer;

import jakarta.servlet.ServletContainerInitializer;

import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

import dev.covet.sample.chat.DevTokens;

/**
 * Embedded Tomcat 10.1 on a free port of 127.0.0.1 with the chat sample's development settings, a
 * {@code DefaultServlet} (without a servlet for the path, Tomcat answers the upgrade 404 before any filter runs)
 * and every {@code ServletContainerInitializer} on the class path started, as a WAR gets.
 *
 * @param tomcat the server
 * @param context the application's context
 */
record EmbeddedTomcat(Tomcat tomcat, Context context) {

    /**
     * Starts Tomcat.
     *
     * @param name the working directory's prefix
     * @param application adds the runner's servlets, parameters and security to the server and context
     * @return the started server
     */
    static EmbeddedTomcat start(String name, BiConsumer<Tomcat, Context> application) throws Exception {
        Path base = ServerProcesses.workDir(name + "-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", Files.createDirectories(base.resolve("webapp")).toString());
        DevTokens.developmentSettings().forEach(context::addParameter);
        application.accept(tomcat, context);
        Tomcat.addServlet(context, "default", new DefaultServlet()).addMapping("/");
        for (ServletContainerInitializer initializer : ServiceLoader.load(ServletContainerInitializer.class)) {
            context.addServletContainerInitializer(initializer, null);
        }
        tomcat.start();
        return new EmbeddedTomcat(tomcat, context);
    }

    /** @return the bound port */
    int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** Stops and destroys the server. */
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
