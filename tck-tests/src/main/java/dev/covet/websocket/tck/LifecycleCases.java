package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The kit's cases for the application's life: its HTTP endpoints, and undeploying it (last, since it ends the
 * application).
 */
public abstract class LifecycleCases extends KitCases {

    @Test
    @DisplayName("The health endpoint answers UP and the token endpoint refuses bad names")
    void httpEndpoints() throws Exception {
        Assumptions.assumeTrue(httpRoot().isPresent(), "no HTTP layer in this container");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(httpRoot().get().resolve("health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        try (JsonReader reader = Json.createReader(new StringReader(health.body()))) {
            JsonObject answer = reader.readObject();
            assertThat(answer.getString("status")).isEqualTo("UP");
            assertThat(answer.getJsonArray("checks").getValuesAs(JsonObject.class))
                    .extracting(check -> check.getString("name") + "=" + check.getString("status"))
                    .containsExactly("covet-readiness=UP", "covet-liveness=UP");
        }
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                httpRoot().get().resolve("api/token?user=%3Cscript%3E")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(httpRoot().get()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<title>Covet chat</title>");
    }

    @Test
    @DisplayName("The library serves its browser client module and its types below the application")
    void browserClient() throws Exception {
        Assumptions.assumeTrue(httpRoot().isPresent(), "no HTTP layer in this container");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> module = http.send(HttpRequest.newBuilder(httpRoot().get().resolve("covet/covet.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(module.body()).contains("export function connect(url, options = {})");
        // The modules it imports, relative to itself.
        for (String imported : new String[] {"base.js", "rooms.js"}) {
            HttpResponse<String> part = http.send(HttpRequest.newBuilder(httpRoot().get().resolve("covet/" + imported))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(module.body()).contains("from \"./" + imported + "\"");
            assertThat(part.statusCode()).as(imported).isEqualTo(200);
            assertThat(part.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
            assertThat(part.body()).contains("export class");
        }
        HttpResponse<String> types = http.send(HttpRequest.newBuilder(httpRoot().get().resolve("covet/covet.d.ts"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(types.statusCode()).isEqualTo(200);
        assertThat(types.body()).contains("export function connect(url: string");
        assertThat(http.send(HttpRequest.newBuilder(httpRoot().get().resolve("covet/nothing.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    @DisplayName("Undeploying closes every connection with 1001 and leaves no library thread behind")
    void undeployClosesEveryConnection() throws Exception {
        List<KitClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PER_USER_LIMIT; i++) {
                KitClient client = connect("kit-undeploy");
                clients.add(client);
                join(client, "kit-undeploy");
            }
            assertThat(serverThreads().keySet()).as("the library's threads while connections are open")
                    .anyMatch(name -> name.startsWith("covet-"));
            undeploy();
            for (KitClient client : clients) {
                assertThat(client.closeCode()).as("close code on undeploy").isEqualTo(1001);
            }
            await("no covet-* thread left").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        Map<String, String> left = new TreeMap<>(serverThreads());
                        left.keySet().removeIf(name -> !name.startsWith("covet-"));
                        assertThat(left).as("the library's threads left, with their stacks").isEmpty();
                    });
        } finally {
            clients.forEach(KitClient::close);
        }
    }
}
