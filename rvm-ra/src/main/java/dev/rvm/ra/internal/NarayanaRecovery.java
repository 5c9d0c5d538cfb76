package dev.rvm.ra.internal;

import com.arjuna.ats.arjuna.common.Uid;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.coordinator.TxControl;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceOrphanFilter;
import com.arjuna.ats.jta.xa.XATxConverter;
import com.arjuna.ats.jta.xa.XidImple;
import javax.transaction.xa.Xid;

/**
 * {@link TransactionManagerRecovery} for Narayana, the transaction manager of WildFly. Loaded only after
 * {@link TransactionManagerRecovery#find()} has seen Narayana's classes. Thread-safe.
 */
final class NarayanaRecovery implements TransactionManagerRecovery {
    /** This process's part of every transaction Uid this transaction manager creates. */
    private final String processId = new Uid().getHexPid();

    private NarayanaRecovery() {
    }

    /**
     * Narayana in a WildFly (or EAP) server, whose transactions subsystem runs the recovery manager; {@code null}
     * elsewhere, since {@link RecoveryManager#manager()} would start a recovery manager of its own in a process that
     * has none.
     */
    static NarayanaRecovery inServer() {
        return System.getProperty("jboss.server.data.dir") == null ? null : new NarayanaRecovery();
    }

    @Override
    public boolean presumedAbort(Xid xid) {
        if (xid.getFormatId() != XATxConverter.FORMAT_ID) {
            return false; // not a Narayana transaction: another transaction manager owns it
        }
        Uid tx = new XidImple(xid).getTransactionUid();
        if (tx == null || !tx.valid() || processId.equals(tx.getHexPid())) {
            return false; // begun in this process: it may be in flight, so the safety interval applies
        }
        // The vote exactly as Narayana's XARecoveryModule counts it: any LEAVE_ALONE wins, else any ROLLBACK.
        boolean rollback = false;
        for (XAResourceOrphanFilter f : jtaPropertyManager.getJTAEnvironmentBean().getXaResourceOrphanFilters()) {
            XAResourceOrphanFilter.Vote v = f.checkXid(xid);
            if (v == XAResourceOrphanFilter.Vote.LEAVE_ALONE) {
                return false;
            }
            rollback |= v == XAResourceOrphanFilter.Vote.ROLLBACK;
        }
        return rollback;
    }

    @Override
    public long siblingOrphansMillis() {
        return jtaPropertyManager.getJTAEnvironmentBean().getOrphanSafetyInterval()
                + 1000L * recoveryPropertyManager.getRecoveryEnvironmentBean().getRecoveryBackoffPeriod();
    }

    @Override
    public void scan() {
        RecoveryManager.manager().scan();
    }

    @Override
    public String describe() {
        return "Narayana";
    }

    @Override
    public String localNode() {
        return TxControl.getXANodeName();
    }

    @Override
    public String coordinatorNode(Xid xid) {
        return xid.getFormatId() != XATxConverter.FORMAT_ID ? null
                : XATxConverter.getNodeName(new XidImple(xid).getXID());
    }

    @Override
    public String subordinateNode(Xid xid) {
        return xid.getFormatId() != XATxConverter.FORMAT_ID ? null
                : XATxConverter.getSubordinateNodeName(new XidImple(xid).getXID());
    }
}
