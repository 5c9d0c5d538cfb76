package dev.rvm.bench.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What the two servlets share: reading parameters with a clear error, and answering in plain text. A request with
 * a bad parameter gets 400 naming it; any other failure 500 with the exception chain's messages. Stateless,
 * thread-safe.
 */
final class Requests {
    private Requests() {
    }

    /** The parameter {@code name} as an int, or {@code dflt} when absent. */
    static int intParam(HttpServletRequest req, String name, int dflt) {
        return (int) longParam(req, name, dflt);
    }

    /** The parameter {@code name} as a long, or {@code dflt} when absent. */
    static long longParam(HttpServletRequest req, String name, long dflt) {
        String v = req.getParameter(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " is not a number: " + v, e);
        }
    }

    /** The parameter {@code name}, or {@code dflt} when absent. */
    static String param(HttpServletRequest req, String name, String dflt) {
        String v = req.getParameter(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    /** Answers {@code status} with {@code body} as plain text. */
    static void answer(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().write(body);
    }

    /** Answers a failure: 400 if an {@link IllegalArgumentException} is in the chain, else 500. */
    static void fail(HttpServletResponse resp, RuntimeException e) throws IOException {
        StringBuilder why = new StringBuilder();
        boolean badRequest = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            badRequest |= t instanceof IllegalArgumentException;
            why.append(why.length() == 0 ? "" : " <- ").append(t);
        }
        answer(resp, badRequest ? HttpServletResponse.SC_BAD_REQUEST : HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                why.append('\n').toString());
    }
}
