package dev.covet.websocket.tck;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Payara Micro JVM from a Maven-resolved jar, deploying {@code chat.war} at {@code /chat} on a free port, without
 * its cluster (to start fast and stay on 127.0.0.1). Used by the kit's runners and the mixed cluster.
 *
 * @param process the server's JVM
 * @param port its HTTP port
 */
record PayaraServer(Process process, int port) {

    /**
     * Starts Payara Micro and waits until the application's health check answers.
     *
     * @param java the JVM to run it on
     * @param jar the payara-micro jar
     * @param name the log file's name, next to {@code chat.war}
     * @param environment extra environment for the server's JVM
     */
    static PayaraServer start(Path java, String jar, String name, Map<String, String> environment) throws Exception {
        Path work = ServerProcesses.workDir("payara-");
        int port = ServerProcesses.freePort();
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx768m"));
        command.addAll(ServerProcesses.kitSettingArguments());
        command.addAll(List.of("-jar", jar, "--nocluster", "--port", String.valueOf(port),
                "--rootdir", work.resolve("root").toString(), "--deploy", System.getProperty("chat.war")));
        Path log = Path.of(System.getProperty("chat.war")).resolveSibling(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process payara = builder.start();
        try {
            ServerProcesses.awaitOk(URI.create("http://127.0.0.1:" + port + "/chat/health"), Duration.ofSeconds(150),
                    () -> payara, log);
        } catch (RuntimeException | Error e) {
            ServerProcesses.stop(payara.toHandle());
            throw e;
        }
        return new PayaraServer(payara, port);
    }

    /** @return the chat's root, e.g. {@code http://127.0.0.1:8080/chat/} */
    URI httpRoot() {
        return URI.create("http://127.0.0.1:" + port + "/chat/");
    }

    void stop() throws InterruptedException {
        ServerProcesses.stop(process.toHandle());
    }
}
