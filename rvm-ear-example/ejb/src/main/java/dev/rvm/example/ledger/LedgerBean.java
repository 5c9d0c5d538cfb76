package dev.rvm.example.ledger;

import dev.rvm.core.Statistics;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.lang.reflect.RecordComponent;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The ledger as a stateless session bean with container-managed transactions: every business method states its
 * transaction attribute. A transfer changes two balances in RVM and writes an audit row to the XA datasource in one
 * transaction; the container commits both (two-phase, as two XA resources take part) or rolls both back. Thread-safe
 * as the container uses it (one call per instance at a time).
 */
@Stateless
public class LedgerBean {
    /** The accounts a new ledger opens with. */
    public static final List<String> OPENING_ACCOUNTS =
            List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");
    /** The opening balance of each account. */
    public static final long OPENING_BALANCE = 1_000;

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @Resource
    private SessionContext context;

    @Inject
    private Rejections rejections;

    /**
     * Moves money. An unknown account, a bad request or a failed audit insert throw {@link LedgerException} (and
     * roll back); an overdraft marks the transaction rollback-only, records the rejection in a transaction of its
     * own ({@link Rejections}, {@code REQUIRES_NEW}) and returns a {@code REJECTED} result.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public TransferResult transfer(String from, String to, long amount, String memo) {
        TransferResult r = TransferWork.transfer(rvm, new AuditLog(ds), from, to, amount, memo, "ejb",
                context::setRollbackOnly);
        Rejections.recordQuietly(rejections, r, "ejb");
        return r;
    }

    /** @return every account and its balance */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<Balance> balances() {
        return TransferWork.balances(rvm);
    }

    /** Opens the {@link #OPENING_ACCOUNTS} if the account book is empty; returns whether it did. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean openAccountsIfNew() {
        return TransferWork.createIfNew(rvm, OPENING_ACCOUNTS, OPENING_BALANCE);
    }

    /** Opens an empty account named {@code name}; false if it is open already. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean openAccount(String name) {
        return TransferWork.openAccount(rvm, name);
    }

    /** Closes the account {@code name}, which must be empty; false if there is no such account. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean closeAccount(String name) {
        return TransferWork.closeAccount(rvm, name);
    }

    /** @return the audit trail summed up */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public AuditLog.Summary audit() {
        try {
            return new AuditLog(ds).summary();
        } catch (SQLException e) {
            throw new EJBException(e);
        }
    }

    /** @return the RVM store's counters by name, plus {@code logUse}; needs no transaction */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Map<String, Object> statistics() {
        Statistics s;
        try (RvmConnection c = TransferWork.connect(rvm)) {
            s = c.statistics();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : Statistics.class.getRecordComponents()) {
            try {
                out.put(rc.getName(), rc.getAccessor().invoke(s));
            } catch (ReflectiveOperationException e) {
                throw new EJBException(e);
            }
        }
        out.put("logUse", s.logUse());
        return out;
    }
}
