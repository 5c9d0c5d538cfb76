package dev.rvm.it.threads;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code GET /threads}: one line per live thread of the server, its name, the class loader of its class and its
 * context class loader, separated by tabs: a thread an undeployed adapter left running shows by its name (Ratis
 * names its threads after the member) or by one of those loaders (the adapter's deployment module, which such a
 * thread keeps from being collected). Thread-safe (no state).
 */
@WebServlet("/threads")
public class ThreadsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        PrintWriter out = resp.getWriter();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                out.print(t.getName() + "\t" + t.getClass().getClassLoader() + "\t" + t.getContextClassLoader()
                        + "\n");
            }
        }
    }
}
