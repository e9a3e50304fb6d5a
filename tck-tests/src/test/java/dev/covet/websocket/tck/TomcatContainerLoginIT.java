package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.json.JsonObject;

import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container's own login as the connection's principal: Tomcat protects {@code /ws} with BASIC authentication
 * against its realm, and the chat sample, given no token, takes the user Tomcat authenticated (and the roles
 * {@code covet.auth.container.roles} asks about) — the path a Payara, WildFly or Liberty application with form
 * or OIDC login takes.
 */
class TomcatContainerLoginIT {

    private static EmbeddedTomcat server;

    @BeforeAll
    static void start() throws Exception {
        Runners.assumeSelected("tomcat");
        server = EmbeddedTomcat.start("tomcat-login", (tomcat, context) -> {
            tomcat.addUser("carol", "carols-password");
            tomcat.addRole("carol", "chat");
            context.addParameter("covet.auth.container.roles", "chat,admin");
            SecurityCollection socket = new SecurityCollection();
            socket.addPattern("/ws");
            SecurityConstraint constraint = new SecurityConstraint();
            constraint.addAuthRole("chat");
            constraint.addCollection(socket);
            context.addConstraint(constraint);
            context.addSecurityRole("chat");
            LoginConfig login = new LoginConfig();
            login.setAuthMethod("BASIC");
            login.setRealmName("covet");
            context.setLoginConfig(login);
            context.getPipeline().addValve(new BasicAuthenticator());
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    @Test
    void theUserTheContainerAuthenticatedIsTheConnectionsPrincipal() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("carol:carols-password"
                .getBytes(StandardCharsets.UTF_8));
        try (KitClient client = KitClient.open(uri(), Map.of("Authorization", basic))) {
            client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"login\"}}");
            client.next("$room.join");
            client.send("{\"event\":\"chat.send\",\"id\":\"s\",\"data\":{\"room\":\"login\",\"text\":\"via login\"}}");
            JsonObject message = client.next("chat.message");
            assertThat(message.getJsonObject("data").getString("from")).isEqualTo("carol");
            client.send("{\"event\":\"$presence\",\"id\":\"p\",\"data\":{\"room\":\"login\"}}");
            assertThat(client.next("$presence").getJsonObject("data").getJsonArray("users").toString())
                    .isEqualTo("[{\"role\":\"member\",\"user\":\"carol\"}]");
        }
    }

    @Test
    void withoutTheContainersLoginTheUpgradeIsRefused() {
        assertThatThrownBy(() -> KitClient.open(uri(), Map.of()))
                .isInstanceOfSatisfying(KitClient.HandshakeRefused.class, refused ->
                        assertThat(refused.status()).isEqualTo(401));
    }
}
