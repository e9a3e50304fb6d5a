package dev.covet.websocket.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit's cases for the handshake: credentials, token attacks, Origin and authorization checks.
 */
public abstract class AuthenticationCases extends KitCases {

    @Test
    @DisplayName("A handshake without a token is refused before any user code (HTTP 401 or close 1008)")
    void noTokenIsRefused() throws Exception {
        assertRefused(Map.of(), 401);
    }

    @Test
    @DisplayName("A handshake with a forged token is refused")
    void forgedTokenIsRefused() throws Exception {
        String token = token("mallory");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        assertRefused(Map.of("Authorization", "Bearer " + forged), 401);
    }

    @Test
    @DisplayName("Unsigned (alg none, any casing), signature-stripped and tampered tokens are refused")
    void unsignedStrippedAndTamperedTokensAreRefused() throws Exception {
        String[] parts = token("mallory").split("\\.");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String header = base64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}")
                    .getBytes(StandardCharsets.UTF_8));
            assertRefused(Map.of("Authorization", "Bearer " + header + "." + parts[1] + "."), 401);
        }
        assertRefused(Map.of("Authorization", "Bearer " + parts[0] + "." + parts[1] + "."), 401);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"mallory\"", "\"admin\"");
        assertRefused(Map.of("Authorization", "Bearer " + parts[0] + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]), 401);
    }

    @Test
    @DisplayName("A token offered as a Sec-WebSocket-Protocol entry is accepted; the server answers the marker only")
    void subprotocolTokenIsAcceptedAndNeverEchoed() throws Exception {
        try (KitClient client = KitClient.open(webSocketUri(), Map.of(),
                List.of("covet", "covet.bearer." + token("kit-subprotocol")))) {
            assertThat(client.subprotocol()).isEqualTo("covet");
            join(client, "kit-subprotocol");
        }
    }

    @Test
    @DisplayName("A handshake from a foreign Origin is refused (HTTP 403 or close 1008)")
    void foreignOriginIsRefused() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + token("alice"), "Origin", "https://evil.example"), 403);
    }

    @Test
    @DisplayName("A valid token of a user an AuthorizationCheck forbids is refused (HTTP 403 or close 1008)")
    void authorizationCheckForbids() throws Exception {
        assertRefused(Map.of("Authorization", "Bearer " + token("suspended")), 403);
    }
}
