package dev.rvm.it.replica;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.resource.ResourceException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /replica/next}: the next value of {@link ReplicaSequence}, answered 200 after its transaction
 * committed; 503 with the adapter's message when this server's member does not lead the group (or the store
 * failed). {@code POST /replica/blocked}: the same in a transaction that blocks after RVM's prepare until the test
 * kills the server. {@code GET /replica/state}: the committed counter after the slot check ({@code BROKEN ...} if it
 * fails), or 503 likewise; {@code GET /replica/in-doubt}: the branches in doubt. Thread-safe (no state).
 */
@WebServlet("/replica/*")
public class ReplicaServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient ReplicaSequence sequence;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        try {
            resp.getWriter().print("/blocked".equals(req.getPathInfo()) ? sequence.nextBlockedAfterPrepare()
                    : sequence.next());
        } catch (ResourceException | EJBException | SystemException | RollbackException e) {
            unavailable(resp, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        try {
            resp.getWriter().print("/in-doubt".equals(req.getPathInfo()) ? sequence.inDoubt() : sequence.state());
        } catch (ResourceException | EJBException e) {
            unavailable(resp, e);
        }
    }

    private static void unavailable(HttpServletResponse resp, Exception e) throws IOException {
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            why.append(t.getMessage()).append(" | ");
        }
        resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.getWriter().print(why);
    }
}
