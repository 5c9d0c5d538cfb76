package dev.rvm.example.ledger;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import javax.sql.DataSource;

/**
 * Transfers from an account of this server to an account of the ledger on the other server, as a stateless session
 * bean with container-managed transactions: one JTA transaction that debits RVM here, writes the audit row here and
 * calls the other server's {@link RemoteLedger#credit} (its RVM and audit row), so WildFly's transaction manager
 * here commits all four branches or none. Thread-safe as the container uses it.
 */
@Stateless
public class CrossServerLedgerBean {

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @Resource
    private SessionContext context;

    /**
     * Moves {@code amount} from the local account {@code from} to the account {@code to} of the other server. An
     * overdraft marks the transaction rollback-only (after the other server credited) and returns {@code REJECTED};
     * an unknown account on either side throws {@link LedgerException}; an unreachable other server or a lock that
     * timed out there throws an {@code EJBException}. In every case but {@code COMMITTED} nothing remains on either
     * server.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public TransferResult transferToPeer(String from, String to, long amount, String memo) {
        return TransferWork.transferToPeer(rvm, new AuditLog(ds), PeerLedger.lookup(), from, to, amount, memo, "ejb",
                context::setRollbackOnly);
    }

    /**
     * @return the other server's node name
     * @throws LedgerException {@code NO_PEER} if there is no other server to reach (an application exception, so
     *         that a page asking on a single server does not log an error each time)
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public String peerNode() {
        try {
            return PeerLedger.lookup().node();
        } catch (LedgerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LedgerException(LedgerException.Reason.NO_PEER, "no ledger on another server: " + e, e);
        }
    }

    /**
     * @return the other server's accounts, read there in a transaction of its own
     * @throws LedgerException {@code NO_PEER} as {@link #peerNode}
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<Balance> peerBalances() {
        try {
            return PeerLedger.lookup().balances();
        } catch (LedgerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LedgerException(LedgerException.Reason.NO_PEER, "no ledger on another server: " + e, e);
        }
    }
}
