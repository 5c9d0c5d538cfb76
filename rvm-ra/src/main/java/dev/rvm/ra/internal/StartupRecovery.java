package dev.rvm.ra.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.transaction.xa.Xid;

/**
 * Gets the branches a store holds in doubt when the adapter starts resolved promptly, instead of at the transaction
 * manager's next periodic recovery pass (every 2 minutes by default in WildFly, and the first pass of a boot runs
 * before the adapter is started, so it cannot see them). Two steps:
 * <ol>
 *   <li>{@link #rollBackOrphans}, during start: a branch whose transaction the manager has no record of, begun by
 *       a process that is gone, is rolled back at once — the manager's own presumed-abort verdict
 *       ({@link TransactionManagerRecovery#presumedAbort}), without the wait that protects live transactions.</li>
 *   <li>{@link #scanWhileInDoubt}, as a Work after start: the remaining branches (the manager logged a decision)
 *       are left to the manager's recovery, and the adapter asks it for scans until none is in doubt.</li>
 * </ol>
 * Between the two it logs where the remaining branches' outcomes must come from ({@link #origins}): another server
 * that coordinates a transaction this one imported (which only that server decides: step 1 never rolls such a branch
 * back while this server's transaction manager holds its subordinate record), or a node identifier that is not this
 * server's (a changed or shared identifier, which leaves branches in doubt for good).
 * Without a {@link TransactionManagerRecovery} (another server) nothing changes: the branches wait for the
 * transaction manager's periodic recovery. Thread-safe: stateless apart from its arguments.
 */
public final class StartupRecovery {
    /** Scans asked for at most, after which the periodic recovery is left to finish the job. */
    static final int MAX_SCANS = 6;

    private StartupRecovery() {
    }

    /**
     * Both steps for a store just opened by the adapter's start: step 1 now, step 2 as a Work on {@code wm}.
     * Failures are logged, never thrown: the branches then wait for the periodic recovery, as without this class.
     */
    public static void begin(Store store, WorkManager wm, BooleanSupplier stopped) {
        begin(store, wm, stopped, true);
    }

    /**
     * Step 2 only, for a member of a replicated group that has just become the leader: its branches in doubt were
     * prepared through another member's server as likely as through this one, so none is rolled back by
     * presumption here; only their coordinator's transaction log decides them.
     */
    public static void beginWithoutPresumption(Store store, WorkManager wm, BooleanSupplier stopped) {
        begin(store, wm, stopped, false);
    }

    private static void begin(Store store, WorkManager wm, BooleanSupplier stopped, boolean presume) {
        int inDoubt = store.inDoubt().size();
        if (inDoubt == 0) {
            return;
        }
        TransactionManagerRecovery tm = TransactionManagerRecovery.find();
        if (tm == null) {
            Messages.noPromptRecovery(inDoubt);
            return;
        }
        int orphans = 0;
        try {
            if (presume) {
                orphans = rollBackOrphans(store, tm);
            }
        } catch (RuntimeException e) {
            Messages.presumedAbortFailed("(all)", e);
            return;
        }
        origins(store.inDoubt(), tm).report(tm.localNode());
        Runnable scans = scans(store, tm, stopped, orphans);
        try {
            wm.scheduleWork(new Work() {
                @Override
                public void run() {
                    scans.run();
                }

                @Override
                public void release() {
                    // a scan in progress ends by itself; the loop checks `stopped` before the next
                }

                @Override
                public String toString() {
                    return "RVM prompt recovery";
                }
            });
        } catch (WorkException e) {
            Messages.scanFailed(tm.describe(), e);
        }
    }

    /** Step 1: rolls back the branches the transaction manager presumes aborted; returns how many. */
    public static int rollBackOrphans(Store store, TransactionManagerRecovery tm) {
        int n = 0;
        for (BranchId id : store.inDoubt()) {
            Xid xid;
            try {
                xid = XidCodec.decode(id);
            } catch (IllegalArgumentException notXa) {
                continue; // reported by the adapter as a foreign branch
            }
            boolean abort;
            try {
                abort = tm.presumedAbort(xid);
            } catch (RuntimeException | LinkageError e) {
                Messages.presumedAbortFailed(RvmXid.describe(xid), e);
                continue;
            }
            if (!abort) {
                continue;
            }
            try {
                store.memory().rollbackPrepared(id);
                Messages.orphanRolledBack(RvmXid.describe(xid), tm.describe());
                n++;
            } catch (RvmException e) {
                if (e.code() != ErrorCode.UNKNOWN_BRANCH) { // resolved meanwhile by the manager's own recovery
                    throw e;
                }
            }
        }
        return n;
    }

    /**
     * Step 2, run as a Work: while branches found at start are in doubt, asks for a recovery scan (each takes the
     * manager's backoff period, 10 s by default, between its passes); stops when none is left, after
     * {@link #MAX_SCANS}, or when {@code stopped} says the adapter stopped. See {@link #scans} for what follows
     * orphans rolled back in step 1.
     */
    public static Runnable scanWhileInDoubt(Store store, TransactionManagerRecovery tm, BooleanSupplier stopped) {
        return scans(store, tm, stopped, 0);
    }

    /**
     * {@link #scanWhileInDoubt}, and after {@code orphans} branches were rolled back at start, scans on for
     * {@link TransactionManagerRecovery#siblingOrphansMillis} even with none of RVM's left: the same transactions
     * have branches at the other resources (prepared before RVM's, or after it on another enlistment order) that only
     * the manager can roll back, once its orphan safety interval has passed.
     */
    public static Runnable scans(Store store, TransactionManagerRecovery tm, BooleanSupplier stopped, int orphans) {
        return () -> {
            long start = System.nanoTime();
            long siblingsUntil = orphans == 0 ? start : start + TimeUnit.MILLISECONDS.toNanos(tm.siblingOrphansMillis());
            boolean reported = false;
            for (int scan = 1; scan <= MAX_SCANS; scan++) {
                List<BranchId> left = inDoubt(store, stopped);
                if (left == null) {
                    return;
                }
                if (left.isEmpty()) {
                    if (!reported) {
                        Messages.inDoubtResolved(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), scan - 1);
                        reported = true;
                    }
                    if (System.nanoTime() - siblingsUntil >= 0) {
                        return;
                    }
                    Messages.askingForSiblingScan(tm.describe(), orphans, scan);
                } else {
                    Messages.askingForScan(tm.describe(), left.size(), scan);
                }
                try {
                    tm.scan();
                } catch (RuntimeException | LinkageError e) {
                    Messages.scanFailed(tm.describe(), e);
                    return;
                }
            }
            List<BranchId> left = inDoubt(store, stopped);
            if (left != null && !left.isEmpty()) {
                Messages.stillInDoubt(left.size(), MAX_SCANS);
            }
        };
    }

    /**
     * Where the outcome of each branch in {@code branches} has to come from, by the node identifiers in its Xid: this
     * server's transaction manager (not counted), another server's that this one imported the transaction from, or a
     * node identifier this server no longer has. Branches that are not Xids are left out (reported elsewhere).
     */
    public static Origins origins(List<BranchId> branches, TransactionManagerRecovery tm) {
        String local = tm.localNode();
        Map<String, Integer> imported = new TreeMap<>();
        Map<String, Integer> otherNode = new TreeMap<>();
        int sharedIdentifier = 0;
        if (local == null) {
            return new Origins(imported, otherNode, 0);
        }
        for (BranchId id : branches) {
            Xid xid;
            try {
                xid = XidCodec.decode(id);
            } catch (IllegalArgumentException notXa) {
                continue;
            }
            String coordinator;
            String subordinate;
            try {
                coordinator = tm.coordinatorNode(xid);
                subordinate = tm.subordinateNode(xid);
            } catch (RuntimeException e) {
                continue; // an Xid the manager cannot read: nothing to say about it
            }
            if (coordinator == null) {
                continue; // another transaction manager's Xid: nothing to say
            }
            if (subordinate == null) {
                if (!local.equals(coordinator)) {
                    otherNode.merge(coordinator, 1, Integer::sum);
                }
            } else if (!local.equals(subordinate)) {
                otherNode.merge(subordinate, 1, Integer::sum);
            } else if (local.equals(coordinator)) {
                sharedIdentifier++;
            } else {
                imported.merge(coordinator, 1, Integer::sum);
            }
        }
        return new Origins(imported, otherNode, sharedIdentifier);
    }

    /**
     * What {@link #origins} found among the branches in doubt at start.
     *
     * @param imported by coordinator node: branches of transactions imported from another server, which only that
     *        server's recovery decides
     * @param otherNode by node identifier: branches prepared under a node identifier that is not this server's
     * @param sharedIdentifier branches imported from a coordinator whose node identifier is this server's own
     */
    public record Origins(Map<String, Integer> imported, Map<String, Integer> otherNode, int sharedIdentifier) {
        /** Logs one message per coordinator or foreign node ({@code RVM000132}–{@code RVM000134}). */
        void report(String local) {
            imported.forEach((node, n) -> Messages.awaitingRemoteCoordinator(node, n, local));
            otherNode.forEach((node, n) -> Messages.preparedUnderAnotherNode(node, n, local));
            if (sharedIdentifier > 0) {
                Messages.sharedNodeIdentifier(local, sharedIdentifier);
            }
        }
    }

    /** The branches in doubt, or {@code null} once the adapter stopped or the store closed. */
    private static List<BranchId> inDoubt(Store store, BooleanSupplier stopped) {
        return stopped.getAsBoolean() || !store.isOpen() ? null : store.inDoubt();
    }
}
