package dev.covet.websocket.impl.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the browser client ({@code covet.js}, an ES module, the two modules it imports, {@code base.js} and
 * {@code rooms.js}, and its TypeScript declarations {@code covet.d.ts}) at {@code covet.client.path}, so that any application with the library can {@code import} it without a build
 * step. The files live outside {@code META-INF/resources}, so that an empty {@code covet.client.path} really
 * serves nothing.
 */
final class ClientScriptServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> FILES = Map.of(
            "/covet.js", "text/javascript; charset=utf-8",
            "/base.js", "text/javascript; charset=utf-8",
            "/rooms.js", "text/javascript; charset=utf-8",
            "/covet.d.ts", "text/plain; charset=utf-8");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String file = request.getPathInfo();
        String type = file == null ? null : FILES.get(file);
        if (type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = ClientScriptServlet.class.getResourceAsStream("/dev/covet/websocket/client" + file)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType(type);
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Content-Type-Options", "nosniff");
            in.transferTo(response.getOutputStream());
        }
    }
}
