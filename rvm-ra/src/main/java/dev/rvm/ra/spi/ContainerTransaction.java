package dev.rvm.ra.spi;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;

/**
 * The RVM transaction of a container-managed (JTA or local) transaction as structures that take a
 * {@link Transaction} see it — the recoverable heap and map of {@code dev.rvm.core.heap}. Declaring and locking
 * ranges goes to the transaction; ending it does not: the transaction manager commits, rolls back or prepares it
 * through the XA resource, so {@code commit}, {@code abort}, {@code prepare}, {@code suspend}, {@code resume},
 * {@code join} and {@code leave} are refused with {@link ErrorCode#ILLEGAL_STATE}, and {@code close} does nothing.
 *
 * <p>Not thread-safe, like the transaction: the thread running it uses it.
 */
final class ContainerTransaction implements Transaction {
    private final Transaction tx;

    ContainerTransaction(Transaction tx) {
        this.tx = tx;
    }

    @Override
    public RestoreMode restoreMode() {
        return tx.restoreMode();
    }

    @Override
    public TransactionState state() {
        return tx.state();
    }

    @Override
    public long id() {
        return tx.id();
    }

    @Override
    public void setRange(Region region, long offset, long length) {
        tx.setRange(region, offset, length);
    }

    @Override
    public void lockShared(Region region, long offset, long length) {
        tx.lockShared(region, offset, length);
    }

    @Override
    public void commit(CommitMode mode) {
        throw ended("commit");
    }

    @Override
    public void abort() {
        throw ended("abort");
    }

    @Override
    public PrepareResult prepare(BranchId branch) {
        throw ended("prepare");
    }

    @Override
    public void suspend() {
        throw ended("suspend");
    }

    @Override
    public void resume() {
        throw ended("resume");
    }

    @Override
    public void join() {
        throw ended("join");
    }

    @Override
    public void leave(Thread thread) {
        throw ended("leave");
    }

    /** Does nothing: the transaction outlives the view and ends with the container's transaction. */
    @Override
    public void close() {
    }

    private static RvmException ended(String op) {
        return new RvmException(ErrorCode.ILLEGAL_STATE, op + " refused: this RVM transaction belongs to the"
                + " container's transaction; the transaction manager ends it (commit or roll back that one)");
    }

    @Override
    public String toString() {
        return "container view of " + tx;
    }
}
