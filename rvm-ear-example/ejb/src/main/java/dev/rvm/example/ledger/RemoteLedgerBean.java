package dev.rvm.example.ledger;

import dev.rvm.ra.RvmConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Remote;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import javax.sql.DataSource;

/**
 * This server's ledger for a ledger on another server: the receiving side of a transfer between two servers. Its
 * {@link #credit} runs only inside the caller's propagated transaction ({@code MANDATORY}), so RVM and the audit
 * database here are branches of that one transaction, prepared and committed by the caller's transaction manager.
 * Stateless; thread-safe as the container uses it.
 */
@Stateless
@Remote(RemoteLedger.class)
public class RemoteLedgerBean implements RemoteLedger {

    @Resource(lookup = "java:/eis/rvm")
    private RvmConnectionFactory rvm;

    @Resource(lookup = "java:/jdbc/LedgerXADS")
    private DataSource ds;

    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public String node() {
        return PeerLedger.localNode();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<Balance> balances() {
        return TransferWork.balances(rvm);
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public TransferResult credit(String from, String to, long amount, String memo) {
        return TransferWork.creditFromPeer(rvm, new AuditLog(ds), from, to, amount, memo);
    }
}
