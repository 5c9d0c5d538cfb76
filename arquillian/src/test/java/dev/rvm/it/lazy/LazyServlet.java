package dev.rvm.it.lazy;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /lazy/next}: the next value of {@link LazySequence}, answered after its transaction committed.
 * {@code GET /lazy/state}: the committed pair, {@code seq check}; {@code GET /lazy/counters}: the store's
 * {@code commitsNoFlush commitsFlush forces}. Thread-safe (no state).
 */
@WebServlet("/lazy/*")
public class LazyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient LazySequence sequence;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print(sequence.next());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print("/counters".equals(req.getPathInfo()) ? sequence.counters() : sequence.state());
    }
}
