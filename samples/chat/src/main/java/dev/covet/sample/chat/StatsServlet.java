package dev.covet.sample.chat;

import java.io.IOException;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.covet.websocket.CovetStats;

/**
 * {@code GET /api/stats}: {@code {"covet": CovetStats snapshot, "connectedObserved": n}}, the numbers a dashboard
 * or a leak check reads; {@code connectedObserved} counts the {@code Connected} events the application observed.
 */
@WebServlet("/api/stats")
public class StatsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Jsonb JSON = JsonbBuilder.create();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CDI<Object> cdi = CDI.current();
        String covet = JSON.toJson(cdi.select(CovetStats.class).get().snapshot());
        long observed = cdi.select(Arrivals.class).get().count();
        response.setContentType("application/json");
        response.getWriter().write("{\"covet\":" + covet + ",\"connectedObserved\":" + observed + "}");
    }
}
