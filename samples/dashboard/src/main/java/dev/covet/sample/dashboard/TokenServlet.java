package dev.covet.sample.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * DEVELOPMENT ONLY: {@code GET /api/token?user=NAME&role=admin|member} hands anyone a one-hour token, so the sample
 * runs without an identity provider. A real application gets tokens (and the {@code admin} role) from its login.
 */
public class TokenServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        String role = request.getParameter("role") == null ? "member" : request.getParameter("role");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (user == null || !NAME.matcher(user).matches() || !List.of("admin", "member").contains(role)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.getWriter().write("{\"error\":\"user must be 1 to 32 letters, digits, '_', '.' or '-', "
                    + "role admin or member\"}");
            return;
        }
        response.getWriter().write("{\"token\":\"" + mint(user, role) + "\"}");
    }

    private String mint(String user, String role) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user)
                .issuer(getServletContext().getInitParameter("covet.auth.jwt.issuer"))
                .audience(getServletContext().getInitParameter("covet.auth.jwt.audience"))
                .claim("roles", List.of(role)).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(getServletContext().getInitParameter("covet.auth.jwt.secret")
                    .getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the development token", e);
        }
    }
}
