package dev.covet.sample.chat;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * DEVELOPMENT ONLY: {@code GET /api/token?user=NAME} hands anyone a one-hour token for any name, so the sample
 * runs without an identity provider. A real application gets tokens from its login, never from this.
 */
@WebServlet("/api/token")
public class TokenServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern SECONDS = Pattern.compile("([1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|3600)");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (user == null || !NAME.matcher(user).matches()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.getWriter().write("{\"error\":\"user must be 1 to 32 letters, digits, '_', '.' or '-'\"}");
            return;
        }
        String seconds = request.getParameter("seconds");
        if (seconds != null && !SECONDS.matcher(seconds).matches()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.getWriter().write("{\"error\":\"seconds must be an integer from 1 to 3600\"}");
            return;
        }
        response.getWriter().write("{\"token\":\"" + mint(user, seconds == null ? 3600 : Long.parseLong(seconds))
                + "\"}");
    }

    private String mint(String user, long seconds) {
        return DevTokens.mint(user, Map.of(
                ChatSettings.SECRET, ChatSettings.get(getServletContext(), ChatSettings.SECRET),
                ChatSettings.ISSUER, ChatSettings.get(getServletContext(), ChatSettings.ISSUER),
                ChatSettings.AUDIENCE, ChatSettings.get(getServletContext(), ChatSettings.AUDIENCE)), seconds);
    }
}
