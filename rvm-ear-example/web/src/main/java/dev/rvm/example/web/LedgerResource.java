package dev.rvm.example.web;

import dev.rvm.example.ledger.Balance;
import dev.rvm.example.ledger.CdiLedger;
import dev.rvm.example.ledger.CrossServerLedgerBean;
import dev.rvm.example.ledger.LedgerBean;
import dev.rvm.example.ledger.LedgerException;
import dev.rvm.example.ledger.Rejections;
import dev.rvm.example.ledger.PeerLedger;
import dev.rvm.example.ledger.TransferResult;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger over HTTP. {@code POST /api/transfers} answers 200 with the committed transfer, 409 when the source
 * account would be overdrawn, 404 for an unknown account, 400 for a bad request, 500 when the audit row could not be
 * written and 503 for any other failure (for example a range lock that timed out); in every non-200 case nothing of
 * the transfer remains. {@code POST /api/peer-transfers} moves money to an account of the ledger on the other server
 * (two-server EAR) with the same statuses; {@code GET /api/servers} shows which server holds which account. A
 * request-scoped CDI bean (which also gets it its injections), so thread-safe.
 */
@RequestScoped
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    @EJB
    private LedgerBean ledger;

    @EJB
    private CrossServerLedgerBean crossServer;

    @Inject
    private CdiLedger cdiLedger;

    @Inject
    private Rejections rejections;

    /** @return every account and its balance, in ledger order */
    @GET
    @Path("accounts")
    public List<Balance> accounts() {
        return ledger.balances();
    }

    /**
     * Moves {@code amount} from {@code from} to {@code to}.
     *
     * @param via {@code ejb} (default) for the session bean, {@code cdi} for the {@code @Transactional} bean
     */
    @POST
    @Path("transfers")
    public Response transfer(@FormParam("from") String from, @FormParam("to") String to,
                             @FormParam("amount") @DefaultValue("0") long amount, @FormParam("memo") String memo,
                             @FormParam("via") @DefaultValue("ejb") String via) {
        return outcome(() -> "cdi".equals(via) ? cdiLedger.transfer(from, to, amount, memo)
                : ledger.transfer(from, to, amount, memo));
    }

    /**
     * Moves {@code amount} from this server's account {@code from} to the account {@code to} of the ledger on the
     * other server (the two-server EAR), in one transaction across both servers. Statuses as for
     * {@link #transfer}, and 503 {@code NO_PEER} when there is no other server to reach.
     *
     * @param via {@code ejb} (default) for the session bean, {@code cdi} for the {@code @Transactional} bean
     */
    @POST
    @Path("peer-transfers")
    public Response peerTransfer(@FormParam("from") String from, @FormParam("to") String to,
                                 @FormParam("amount") @DefaultValue("0") long amount, @FormParam("memo") String memo,
                                 @FormParam("via") @DefaultValue("ejb") String via) {
        return outcome(() -> "cdi".equals(via) ? cdiLedger.transferToPeer(from, to, amount, memo)
                : crossServer.transferToPeer(from, to, amount, memo));
    }

    /**
     * Which server holds which account: this server's node name and accounts, and the other server's (through its
     * remote bean), or the reason it cannot be reached.
     *
     * @return {@code servers}: a list of {@code node}, {@code local}, and {@code accounts} or {@code error}
     */
    @GET
    @Path("servers")
    public Map<String, Object> servers() {
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("node", PeerLedger.localNode());
        local.put("local", true);
        local.put("accounts", ledger.balances());
        Map<String, Object> peer = new LinkedHashMap<>();
        peer.put("local", false);
        try {
            peer.put("node", crossServer.peerNode());
            peer.put("accounts", crossServer.peerBalances());
        } catch (LedgerException e) {
            peer.put("error", e.getMessage());
        } catch (RuntimeException e) {
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            peer.put("error", cause.toString());
        }
        return Map.of("servers", List.of(local, peer));
    }

    private static Response outcome(java.util.function.Supplier<TransferResult> transfer) {
        try {
            TransferResult r = transfer.get();
            return Response.status(TransferResult.COMMITTED.equals(r.outcome()) ? 200 : 409).entity(r).build();
        } catch (LedgerException e) {
            int status = switch (e.reason()) {
                case UNKNOWN_ACCOUNT -> 404;
                case INVALID_REQUEST -> 400;
                case AUDIT_FAILED -> 500;
                case NO_PEER -> 503;
            };
            return error(status, e.reason().name(), e.getMessage());
        } catch (RuntimeException e) {
            // Any other failure, e.g. an RVM range lock that timed out (from the EJB wrapped in an EJBException,
            // from the CDI bean as it is), or the other server unreachable: the transaction rolled back.
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            return error(503, "FAILED", cause.toString());
        }
    }

    /** Opens an empty account: 201, 409 if it is open already, 400 for a bad name. */
    @POST
    @Path("accounts")
    public Response open(@FormParam("name") String name) {
        try {
            return ledger.openAccount(name) ? Response.status(201).build()
                    : error(409, "EXISTS", "account " + name + " is open already");
        } catch (LedgerException e) {
            return error(400, e.reason().name(), e.getMessage());
        }
    }

    /** Closes an empty account: 204, 404 if there is none, 400 if it still holds money. */
    @DELETE
    @Path("accounts/{name}")
    public Response close(@PathParam("name") String name) {
        try {
            return ledger.closeAccount(name) ? Response.noContent().build()
                    : error(404, "UNKNOWN_ACCOUNT", "no account " + name);
        } catch (LedgerException e) {
            return error(400, e.reason().name(), e.getMessage());
        }
    }

    /** @return the audit trail summed up: rows, total amount, net movement per account */
    @GET
    @Path("audit")
    public Object audit() {
        return ledger.audit();
    }

    /**
     * @return the rejected transfers, recorded in transactions of their own that survive the transfers' rollback:
     *         {@code count} and {@code amount} from RVM, {@code rows} from the database
     */
    @GET
    @Path("rejections")
    public Rejections.Summary rejections() {
        return rejections.summary();
    }

    /** @return the resource adapter's statistics */
    @GET
    @Path("stats")
    public Map<String, Object> stats() {
        return ledger.statistics();
    }

    /**
     * What the page's dashboard shows at each refresh, in one request so that balances and counters are of the same
     * moment: the server's clock (for rates), the balances and the statistics.
     *
     * @return {@code atMillis}, {@code balances} and {@code stats}
     */
    @GET
    @Path("dashboard")
    public Map<String, Object> dashboard() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("atMillis", System.currentTimeMillis());
        out.put("balances", ledger.balances());
        out.put("stats", ledger.statistics());
        return out;
    }

    private static Response error(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON).build();
    }
}
