package dev.rvm.bench.server;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The load endpoint: {@code POST /rvm-bench/transfer?case=none|rvm|rvm-lazy|rvm+audit|db|db+audit|noop+audit|rvm-remote|remote-none&db=h2|pg&from=I&to=J[&amount=N]}
 * runs one transfer in its own container-managed transaction and answers {@code 200 ok} after the commit (so
 * after every force it needs). What the path excludes: nothing of the server's own path (HTTP parsing, the
 * servlet, the EJB call and its interceptors, the transaction and the XA resources are all in it); a REST or JSON
 * layer is not used. Thread-safe: no state.
 */
@WebServlet(urlPatterns = "/transfer")
public class TransferServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient BenchTransfers transfers;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            TransferCase c = TransferCase.of(Requests.param(req, "case", ""));
            BenchDatabase db = BenchDatabase.of(Requests.param(req, "db", "h2"));
            transfers.transfer(c, db, Requests.intParam(req, "from", -1), Requests.intParam(req, "to", -1),
                    Requests.longParam(req, "amount", 1));
            Requests.answer(resp, HttpServletResponse.SC_OK, "ok\n");
        } catch (RuntimeException e) {
            Requests.fail(resp, e);
        }
    }
}
