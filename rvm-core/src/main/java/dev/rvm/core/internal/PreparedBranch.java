package dev.rvm.core.internal;

import dev.rvm.core.BranchId;
import dev.rvm.core.internal.lock.LockOwner;
import dev.rvm.core.internal.log.LogRecord;
import java.util.concurrent.TimeUnit;

/**
 * A prepared two-phase branch: live (its {@link TransactionImpl} holds the locks and old values) or rebuilt by
 * recovery (this object holds the locks; its redo is in {@link #recovered}). Fields are guarded by the branch's
 * monitor.
 */
final class PreparedBranch extends LockOwner {
    enum State { IN_DOUBT, COMMITTED, ROLLED_BACK }

    final BranchId id;
    final TransactionImpl txn;
    final LogRecord recovered;
    /** The PREPARE payload, to copy the record forward when truncation passes it. */
    final byte[] payload;
    final int recordLength;
    /** LSN of the newest PREPARE record of this branch; negative until the record is appended. */
    long prepareLsn = -1;
    State state = State.IN_DOUBT;
    /** When this process learnt of the branch: its prepare, or the recovery that rebuilt it (the log has no clock). */
    final long sinceNanos = System.nanoTime();

    PreparedBranch(BranchId id, TransactionImpl txn, LogRecord recovered, byte[] payload, int recordLength) {
        this.id = id;
        this.txn = txn;
        this.recovered = recovered;
        this.payload = payload;
        this.recordLength = recordLength;
    }

    @Override
    public String describe() {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sinceNanos);
        if (txn != null) {
            return "prepared " + txn.describe() + " of branch " + id + " (waiting " + seconds
                    + " s for the transaction manager's outcome)";
        }
        // Named for the operator who meets it in a lock timeout: the data is held until the TM decides.
        return "in-doubt branch " + id + " (rebuilt from the log " + seconds + " s ago; recovery pending: the"
                + " transaction manager's recovery has not yet committed or rolled it back)";
    }
}
