package dev.rvm.ra.internal;

import dev.rvm.core.BranchId;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Gets the branches a store holds in doubt when the adapter starts resolved promptly, instead of at the transaction
 * manager's next periodic recovery pass (every 2 minutes by default in WildFly, and the first pass of a boot runs
 * before the adapter is started, so it cannot see them): {@link #scanWhileInDoubt}, as a Work after start, asks the
 * transaction manager for recovery scans until none is in doubt. A branch the manager logged a decision for is
 * resolved by the first scan; one it has no record of (an orphan) is rolled back by the manager once it has seen it
 * for its orphan safety interval (20 s by default), i.e. at the scan after that. (Rolling such orphans back at start
 * on the manager's own orphan-filter verdict was tried and removed: the chaos test found ledgers inconsistent after
 * it; see docs/RECOVERY.md.) Without a {@link TransactionManagerRecovery} (another server) nothing changes: the branches wait for the
 * transaction manager's periodic recovery. Thread-safe: stateless apart from its arguments.
 */
public final class StartupRecovery {
    /** Scans asked for at most, after which the periodic recovery is left to finish the job. */
    static final int MAX_SCANS = 6;

    private StartupRecovery() {
    }

    /**
     * For a store just opened by the adapter's start: the scans as a Work on {@code wm}. Failures are logged, never
     * thrown: the branches then wait for the periodic recovery, as without this class.
     */
    public static void begin(Store store, WorkManager wm, BooleanSupplier stopped) {
        int inDoubt = store.inDoubt().size();
        if (inDoubt == 0) {
            return;
        }
        TransactionManagerRecovery tm = TransactionManagerRecovery.find();
        if (tm == null) {
            Messages.noPromptRecovery(inDoubt);
            return;
        }
        Runnable scans = scanWhileInDoubt(store, tm, stopped);
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

    /**
     * While branches found at start are in doubt, asks for a recovery scan (each takes the manager's backoff period,
     * 10 s by default, between its passes); stops when none is left, after {@link #MAX_SCANS}, or when
     * {@code stopped} says the adapter stopped.
     */
    public static Runnable scanWhileInDoubt(Store store, TransactionManagerRecovery tm, BooleanSupplier stopped) {
        return () -> {
            long start = System.nanoTime();
            for (int scan = 1; scan <= MAX_SCANS; scan++) {
                List<BranchId> left = inDoubt(store, stopped);
                if (left == null) {
                    return;
                }
                if (left.isEmpty()) {
                    Messages.inDoubtResolved(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), scan - 1);
                    return;
                }
                Messages.askingForScan(tm.describe(), left.size(), scan);
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

    /** The branches in doubt, or {@code null} once the adapter stopped or the store closed. */
    private static List<BranchId> inDoubt(Store store, BooleanSupplier stopped) {
        return stopped.getAsBoolean() || !store.isOpen() ? null : store.inDoubt();
    }
}
