package dev.rvm.example.ledger;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import javax.sql.DataSource;

/**
 * The same transfers as {@link LedgerBean#transfer} and {@link CrossServerLedgerBean#transferToPeer}, from a CDI
 * bean whose transaction comes from {@code @Transactional}: use it with {@code @Inject}. {@link LedgerException} is unchecked, so it rolls the
 * transaction back; an overdraft marks it rollback-only through the {@link TransactionSynchronizationRegistry}.
 * Thread-safe: no state besides the injected, thread-safe resources.
 */
@ApplicationScoped
public class CdiLedger {

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @Resource
    private TransactionSynchronizationRegistry registry;

    @Inject
    private Rejections rejections;

    /** See {@link LedgerBean#transfer}; the audit row says {@code via = cdi}. */
    @Transactional(Transactional.TxType.REQUIRED)
    public TransferResult transfer(String from, String to, long amount, String memo) {
        TransferResult r = TransferWork.transfer(rvm, new AuditLog(ds), from, to, amount, memo, "cdi",
                registry::setRollbackOnly);
        Rejections.recordQuietly(rejections, r, "cdi");
        return r;
    }

    /**
     * See {@link CrossServerLedgerBean#transferToPeer}: the same transfer to the ledger on the other server, the
     * transaction begun by {@code @Transactional} and propagated by the remote call; the audit row says
     * {@code via = cdi}.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public TransferResult transferToPeer(String from, String to, long amount, String memo) {
        return TransferWork.transferToPeer(rvm, new AuditLog(ds), PeerLedger.lookup(), from, to, amount, memo, "cdi",
                registry::setRollbackOnly);
    }
}
