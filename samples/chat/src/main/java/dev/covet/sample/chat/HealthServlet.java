package dev.covet.sample.chat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.covet.websocket.CovetHealth;

/**
 * {@code GET /health} for load balancers, from {@link CovetHealth}: 200 with {@code "status":"UP"} while Covet is
 * ready and its housekeeping thread is alive, else 503 with {@code "status":"DOWN"} (while starting, when shutting
 * down), with the details of each check in the MicroProfile Health shape.
 */
@WebServlet("/health")
public class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Jsonb JSON = JsonbBuilder.create();

    /** One check as MicroProfile Health writes it. */
    public record Check(String name, String status, Map<String, Object> data) {
    }

    /** The whole answer. */
    public record Health(String status, List<Check> checks) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CovetHealth health = CDI.current().select(CovetHealth.class).get();
        CovetHealth.Status ready = health.readiness();
        CovetHealth.Status live = health.liveness();
        boolean up = ready.up() && live.up();
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(JSON.toJson(new Health(up ? "UP" : "DOWN", List.of(
                new Check("covet-readiness", ready.name(), ready.details()),
                new Check("covet-liveness", live.name(), live.details())))));
    }
}
