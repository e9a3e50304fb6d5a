package dev.covet.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.RedisClusterProcess;
import dev.covet.websocket.impl.RedisProcess;

/**
 * Two chat nodes as separate processes on the Redis deployments other than one plain server: a three-master Redis
 * Cluster (rooms on every shard), and one Redis reached over TLS as an ACL user. Either way the clients on the two
 * nodes are in one chat, in one order.
 */
class RedisVariantsIT {

    /** Three rooms, one in each third of the slots, so every master of a three-master cluster carries one. */
    private static final List<String> ROOMS = List.of(RedisClusterProcess.nameIn(0, "hall"),
            RedisClusterProcess.nameIn(1, "hall"), RedisClusterProcess.nameIn(2, "hall"));

    @Test
    void twoNodesOnARedisClusterAreOneChat() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start();
             ChatNode one = ChatNode.start("shard-one", Map.of("COVET_CLUSTER_REDIS_URI", cluster.uri()));
             ChatNode two = ChatNode.start("shard-two", Map.of("COVET_CLUSTER_REDIS_URI", cluster.seedUri()))) {
            assertOneChat(one, two);
        }
    }

    @Test
    void twoNodesReachingRedisOverTlsAsAnAclUserAreOneChat() throws Exception {
        Path dir = Files.createTempDirectory("covet-tls");
        try {
            certificates(dir);
            int tlsPort = freePort();
            try (RedisProcess redis = RedisProcess.start("--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", dir.resolve("redis.crt").toString(), "--tls-key-file",
                    dir.resolve("redis.key").toString(), "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                    "--tls-auth-clients", "no", "--user", "default", "off", "--user", "chat", "on", ">s3cret",
                    "~covet:*", "&covet:*", "+@all", "-@dangerous", "+info")) {
                Map<String, String> settings = Map.of("COVET_CLUSTER_REDIS_URI",
                        "rediss://chat:s3cret@127.0.0.1:" + tlsPort, "JAVA_TOOL_OPTIONS",
                        "-Djavax.net.ssl.trustStore=" + dir.resolve("trust.p12") + " -Djavax.net.ssl.trustStorePassword=changeit");
                try (ChatNode one = ChatNode.start("tls-one", settings); ChatNode two = ChatNode.start("tls-two", settings)) {
                    assertThat(one.get("/health").body()).contains("\"cluster\":\"up\"");
                    assertOneChat(one, two);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void assertOneChat(ChatNode one, ChatNode two) throws Exception {
        try (Wire ann = one.connect("ann"); Wire bob = two.connect("bob")) {
            for (String room : ROOMS) {
                for (Wire wire : List.of(ann, bob)) {
                    assertThat(wire.request("$room.join", "join-" + room, "{\"room\":\"" + room + "\"}"))
                            .doesNotContain("\"error\"");
                }
            }
            for (int i = 0; i < 6; i++) {
                Wire sender = i % 2 == 0 ? ann : bob;
                sender.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"" + ROOMS.get(i % 3) + "\",\"text\":\"m"
                        + i + "\"}}");
            }
            List<String> seenByAnn = new ArrayList<>();
            List<String> seenByBob = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seenByAnn.add(ann.nextEvent("chat.message"));
                seenByBob.add(bob.nextEvent("chat.message"));
            }
            assertThat(seenByAnn).as("every message once on the first node").hasSize(6)
                    .allSatisfy(frame -> assertThat(ROOMS.stream().anyMatch(frame::contains)).isTrue());
            for (String room : ROOMS) {
                assertThat(seenByBob.stream().filter(frame -> frame.contains("\"room\":\"" + room + "\"")).toList())
                        .as("room " + room + ": the same frames in the same order on both nodes")
                        .isEqualTo(seenByAnn.stream().filter(frame -> frame.contains("\"room\":\"" + room + "\""))
                                .toList())
                        .hasSize(2);
            }
        }
    }

    /** A certificate authority and a certificate for 127.0.0.1 it signed (PEM for Redis), and a trust store for Java. */
    private static void certificates(Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("openssl"), "no openssl on the PATH (.ci/run installs it)");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=covet-test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "redis.key",
                "-out", "redis.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "redis.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "redis.crt");
        run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass",
                "changeit");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(dir.resolve("tool.log")))
                .isZero();
    }

    private static boolean onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
