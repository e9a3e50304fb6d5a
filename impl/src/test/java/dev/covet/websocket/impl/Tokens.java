package dev.covet.websocket.impl;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints test tokens, valid by default, with the claim set adjusted by the caller. */
final class Tokens {

    private Tokens() {
    }

    static JWTClaimsSet.Builder claims(String user) {
        return new JWTClaimsSet.Builder()
                .subject(user)
                .issuer(TestServer.ISSUER)
                .audience(TestServer.AUDIENCE)
                .claim("roles", List.of("member"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    static String valid(String user) {
        return sign(claims(user).build(), TestServer.SECRET);
    }

    static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
