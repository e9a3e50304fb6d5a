package dev.covet.sample.chat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * DEVELOPMENT ONLY: mints one-hour HS256 tokens for the sample's development token endpoint and its tests.
 */
public final class DevTokens {

    private DevTokens() {
    }

    /** @return the development settings the sample runs with unless overridden */
    public static Map<String, String> developmentSettings() {
        return ChatSettings.DEVELOPMENT;
    }

    /**
     * Mints a token for a user.
     *
     * @param user the subject
     * @param settings the {@code covet.auth.jwt.*} secret, issuer and audience
     * @return the compact JWT
     */
    public static String mint(String user, Map<String, String> settings) {
        return mint(user, settings, 3600);
    }

    /**
     * Mints a token for a user that expires after the given seconds (to try expiry and {@code $auth.refresh}).
     *
     * @param user the subject
     * @param settings the {@code covet.auth.jwt.*} secret, issuer and audience
     * @param seconds the lifetime
     * @return the compact JWT
     */
    public static String mint(String user, Map<String, String> settings, long seconds) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(user)
                .issuer(settings.get(ChatSettings.ISSUER))
                .audience(settings.get(ChatSettings.AUDIENCE))
                .claim("roles", List.of("member"))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(seconds)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(settings.get(ChatSettings.SECRET).getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the development token", e);
        }
    }
}
