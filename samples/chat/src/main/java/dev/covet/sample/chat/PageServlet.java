package dev.covet.sample.chat;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the chat page at the context root from the class path, the same way embedded and in a WAR.
 */
@WebServlet("")
public class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (InputStream page = PageServlet.class.getResourceAsStream("/static/index.html")) {
            if (page == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType("text/html");
            response.setCharacterEncoding("UTF-8");
            page.transferTo(response.getOutputStream());
        }
    }
}
