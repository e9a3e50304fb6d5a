package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.impl.RedisProcess;

/**
 * A heterogeneous cluster: the same {@code chat.war}, unchanged, on WildFly and on Payara Micro 6, both pointed at
 * one real Redis by the environment alone ({@code COVET_CLUSTER_REDIS_URI}); a client on each is in one chat. It
 * also proves that the library's Redis client and its dependencies load inside both servers' class loaders.
 */
class MixedClusterIT {

    private static RedisProcess redis;
    private static WildFlyServer wildfly;
    private static PayaraServer payara;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("wildfly");
        Runners.assumeSelected("payara6");
        redis = RedisProcess.start();
        Map<String, String> cluster = Map.of("COVET_CLUSTER_REDIS_URI", redis.uri());
        wildfly = WildFlyServer.start("mixed-wildfly", cluster);
        wildfly.deploy("chat");
        payara = PayaraServer.start(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("payara6.jar"), "mixed-payara6", cluster);
    }

    @AfterAll
    static void stop() throws Exception {
        if (payara != null) {
            payara.stop();
        }
        if (wildfly != null) {
            wildfly.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static KitClient connect(URI root, String user) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.resolve("api/token?user=" + user))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String token = body.substring(body.indexOf(":\"") + 2, body.lastIndexOf('"'));
        URI ws = URI.create(root.toString().replaceFirst("^http", "ws")).resolve("ws");
        return KitClient.open(ws, Map.of("Authorization", "Bearer " + token));
    }

    private static JsonObject request(KitClient client, String event, String id, String data) throws Exception {
        client.send("{\"event\":\"" + event + "\",\"id\":\"" + id + "\",\"data\":" + data + "}");
        while (true) {
            JsonObject frame = client.next();
            if (id.equals(frame.getString("replyTo", null))) {
                return frame;
            }
        }
    }

    @Test
    void clientsOnWildFlyAndOnPayaraAreInOneChat() throws Exception {
        try (KitClient onWildFly = connect(wildfly.httpRoot("chat"), "wanda");
             KitClient onPayara = connect(payara.httpRoot(), "percy")) {
            assertThat(request(onWildFly, "$room.join", "j1", "{\"room\":\"mixed\"}").getString("event"))
                    .isEqualTo("$room.join");
            assertThat(request(onPayara, "$room.join", "j2", "{\"room\":\"mixed\"}").getString("event"))
                    .isEqualTo("$room.join");
            assertThat(onWildFly.next("$room.joined").getJsonObject("data").getString("user")).isEqualTo("percy");

            onWildFly.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"mixed\",\"text\":\"from WildFly\"}}");
            JsonObject first = onPayara.next("chat.message");
            assertThat(first.getJsonNumber("offset").longValue()).isEqualTo(1);
            assertThat(first.toString()).contains("from WildFly");
            onPayara.send("{\"event\":\"chat.send\",\"data\":{\"room\":\"mixed\",\"text\":\"from Payara\"}}");
            JsonObject second = onWildFly.next("chat.message");
            assertThat(second.getJsonNumber("offset").longValue()).as("WildFly's own message came first").isEqualTo(1);
            assertThat(onWildFly.next("chat.message").toString()).contains("from Payara").contains("\"offset\":2");

            assertThat(request(onPayara, "$presence", "p", "{\"room\":\"mixed\"}").toString()).contains("wanda")
                    .contains("percy");
        }
    }
}
