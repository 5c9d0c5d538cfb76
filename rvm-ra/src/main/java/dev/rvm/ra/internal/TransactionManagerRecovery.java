package dev.rvm.ra.internal;

import javax.transaction.xa.Xid;

/**
 * What the adapter asks of the server's transaction manager about the branches it finds in doubt when it starts:
 * the manager's own presumed-abort verdict on a branch, and a recovery scan. Found by {@link #find()}; absent where
 * the transaction manager offers neither, and then the branches wait for its periodic recovery as before.
 * Implementations are thread-safe.
 */
public interface TransactionManagerRecovery {

    /**
     * Whether the transaction manager would roll this branch back as an orphan now — its transaction is not in its
     * log and its orphan filters vote to roll it back — and the branch cannot belong to a transaction still running
     * in this process. The manager itself waits an "orphan safety interval" before acting on the same vote, which
     * protects transactions in flight; a branch rebuilt from the log whose transaction was begun by another (dead)
     * process is not in flight, so the adapter need not wait.
     */
    boolean presumedAbort(Xid xid);

    /** Runs one recovery scan of all the manager's resources and returns when it has ended (blocking). */
    void scan();

    /**
     * How long after the adapter rolled back orphans at start the manager needs before its scans roll back the same
     * transactions' branches at the other resources (a database's prepared insert): it waits its orphan safety
     * interval from the first pass that saw them, and a scan's second pass comes a backoff period after its first.
     */
    long siblingOrphansMillis();

    /** Names the transaction manager, for the log. */
    String describe();

    /**
     * This transaction manager's node identifier (what it writes into the Xids it creates and imports), or
     * {@code null} if it has none.
     */
    default String localNode() {
        return null;
    }

    /**
     * The node identifier of the transaction manager that began the branch's transaction and decides it (its
     * coordinator), or {@code null} if the Xid does not say (another manager's format).
     */
    default String coordinatorNode(Xid xid) {
        return null;
    }

    /**
     * The node identifier of the transaction manager that imported the branch's transaction from its coordinator (a
     * subordinate, e.g. the callee of an EJB remote call), or {@code null} for a transaction that was not imported.
     */
    default String subordinateNode(Xid xid) {
        return null;
    }

    /**
     * The transaction manager of this server, or {@code null}: Narayana when its classes are visible to the adapter
     * (WildFly: module {@code org.jboss.jts}, named in the RAR's manifest) and the server owns its recovery manager.
     */
    static TransactionManagerRecovery find() {
        try {
            Class.forName("com.arjuna.ats.arjuna.recovery.RecoveryManager", false,
                    TransactionManagerRecovery.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        return NarayanaRecovery.inServer();
    }
}
