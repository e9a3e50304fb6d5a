package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * What the runners of servers with MicroProfile Health (Payara, Liberty with {@code mpHealth}) check of the server's
 * own {@code /health/ready} and {@code /health/live}: both answer 200 and include Covet's checks, UP, with their
 * figures (an {@code Integer} in a check's data once made Liberty's whole endpoint fail).
 */
final class MicroProfileHealth {

    private MicroProfileHealth() {
    }

    /** A figure as a JSON number, or as a string of digits on Payara, which renders every value as a string. */
    private static long figure(JsonValue value) {
        return value instanceof JsonString string ? Long.parseLong(string.getString())
                : ((JsonNumber) value).longValueExact();
    }

    /** @param root the server's HTTP root, e.g. {@code http://127.0.0.1:8080/} */
    static void assertCovetChecksUp(URI root) throws Exception {
        for (String probe : List.of("ready", "live")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    root.resolve("health/" + probe)).build(), HttpResponse.BodyHandlers.ofString());
            String name = probe.equals("ready") ? "covet-readiness" : "covet-liveness";
            assertThat(response.statusCode()).as(probe + ": " + response.body()).isEqualTo(200);
            List<JsonObject> checks = Json.createReader(new StringReader(response.body())).readObject()
                    .getJsonArray("checks").getValuesAs(JsonObject.class);
            assertThat(checks).as(probe + ": " + response.body()).anySatisfy(check -> {
                assertThat(check.getString("name")).isEqualTo(name);
                assertThat(check.getString("status")).isEqualTo("UP");
                if (probe.equals("ready")) {
                    assertThat(figure(check.getJsonObject("data").get("connections"))).isNotNegative();
                    assertThat(figure(check.getJsonObject("data").get("maxConnections"))).isPositive();
                }
            });
        }
    }
}
