package dev.covet.websocket.tck;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An Open Liberty server unpacked from the Maven-resolved full runtime zip ({@code liberty.home}), in a user directory
 * of its own under {@code target/work}, with the chat sample's WAR unchanged in {@code dropins/} and the features a
 * Liberty user would add (MicroProfile Health and Config included).
 *
 * @param home the Liberty installation
 * @param directory the server's directory in its user directory
 * @param port its HTTP port on 127.0.0.1
 * @param name the server's name
 * @param userDir the user directory
 */
record LibertyServer(Path home, Path directory, int port, String name, Path userDir) {

    private static final String SERVER_XML = """
            <server description="Covet tck">
              <featureManager>
                <feature>websocket-2.1</feature>
                <feature>cdi-4.0</feature>
                <feature>jsonb-3.0</feature>
                <feature>jsonp-2.1</feature>
                <feature>beanValidation-3.0</feature>
                <feature>mpHealth-4.0</feature>
                <feature>mpConfig-3.1</feature>
              </featureManager>
              <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
            </server>
            """;

    /**
     * Creates the server with the chat WAR in {@code dropins/} and these JVM options, starts it and waits until the
     * sample answers.
     *
     * @param name the server's name
     * @param jvmOptions its {@code jvm.options} lines (the Covet settings)
     * @return the started server (stop it with {@link #stop})
     */
    static LibertyServer start(String name, List<String> jvmOptions) throws Exception {
        Path userDir = ServerProcesses.workDir("liberty-");
        LibertyServer server = new LibertyServer(Path.of(System.getProperty("liberty.home")),
                userDir.resolve("servers").resolve(name), ServerProcesses.freePort(), name, userDir);
        server.run("create");
        Files.writeString(server.directory.resolve("server.xml"), SERVER_XML.formatted(server.port));
        Files.write(server.directory.resolve("jvm.options"), jvmOptions);
        Files.copy(Path.of(System.getProperty("chat.war")), server.directory.resolve("dropins/chat.war"));
        try {
            server.run("start");
            ServerProcesses.awaitOk(server.httpRoot().resolve("health"), Duration.ofSeconds(120), () -> null,
                    server.log());
        } catch (Exception | Error e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** @return the chat sample's root, {@code http://127.0.0.1:PORT/chat/} */
    URI httpRoot() {
        return URI.create("http://127.0.0.1:" + port + "/chat/");
    }

    /** @return the chat sample's WebSocket endpoint */
    URI webSocket() {
        return URI.create("ws://127.0.0.1:" + port + "/chat/ws");
    }

    /** @return the server's {@code messages.log} */
    Path log() {
        return directory.resolve("logs/messages.log");
    }

    /** @return the server's process id */
    long pid() throws IOException {
        return Long.parseLong(Files.readString(userDir.resolve("servers/.pid/" + name + ".pid")).trim());
    }

    /** Stops the server. */
    void stop() throws IOException, InterruptedException {
        run("stop");
    }

    /** Runs {@code wlp/bin/server ACTION NAME} with this server's user directory and the runner's JDK. */
    private void run(String action) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/server").toString(), action, name);
        builder.environment().put("WLP_USER_DIR", userDir.toString());
        ServerProcesses.run(builder);
    }
}
