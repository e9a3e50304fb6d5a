package dev.covet.sample.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Serves the page and its chart library from the class path's {@code static/} (nothing from a CDN). */
public class StaticServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_-]+)*/[A-Za-z0-9_.-]+");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "txt", "text/plain");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.isEmpty() || "/".equals(path)) {
            path = "/index.html";
        }
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        if (!PATH.matcher(path).matches() || path.contains("..") || type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = StaticServlet.class.getResourceAsStream("/static" + path)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType(type);
            in.transferTo(response.getOutputStream());
        }
    }
}
