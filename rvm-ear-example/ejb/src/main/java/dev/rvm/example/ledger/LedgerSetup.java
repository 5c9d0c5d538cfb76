package dev.rvm.example.ledger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Prepares the ledger when the application starts: the audit table (outside a transaction, as H2 commits DDL by
 * itself) and, on first start, the accounts in RVM. Thread-safe: runs once, at startup.
 */
@Singleton
@Startup
public class LedgerSetup {
    private static final Logger LOG = Logger.getLogger(LedgerSetup.class.getName());

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @EJB
    private LedgerBean ledger;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        try {
            new AuditLog(ds).createTable();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the audit table", e);
        }
        if (ledger.openAccountsIfNew()) {
            LOG.info(() -> "opened accounts " + LedgerBean.OPENING_ACCOUNTS + " with " + LedgerBean.OPENING_BALANCE
                    + " each");
        }
    }
}
