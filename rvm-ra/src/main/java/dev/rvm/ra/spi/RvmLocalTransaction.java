package dev.rvm.ra.spi;

import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.core.TransactionState;
import dev.rvm.ra.internal.Messages;
import dev.rvm.ra.internal.Store;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;

/**
 * The container-driven local transaction of a managed connection (for a pool configured with
 * {@code LocalTransaction} support, or last-resource commit): {@code begin} is an RVM {@code begin(RESTORE)} on
 * the calling thread, {@code commit} uses the adapter's {@code defaultCommitMode}, {@code rollback} aborts.
 *
 * <p>Used by one thread at a time (the container's contract). Not thread-safe.
 */
public final class RvmLocalTransaction implements LocalTransaction {
    private final Store store;
    private Transaction txn;

    RvmLocalTransaction(Store store) {
        this.store = store;
    }

    /** The active local transaction, or {@code null}. */
    Transaction transaction() {
        Transaction t = txn;
        return t != null && t.state() == TransactionState.ACTIVE ? t : null;
    }

    @Override
    public void begin() throws ResourceException {
        if (transaction() != null) {
            throw new LocalTransactionException(Messages.localTransaction("begin while one is active"));
        }
        try {
            txn = store.memory().begin(RestoreMode.RESTORE);
        } catch (RvmException e) {
            throw wrap("begin", e);
        }
    }

    @Override
    public void commit() throws ResourceException {
        Transaction t = active("commit");
        txn = null;
        try {
            t.commit(store.defaultCommitMode());
        } catch (RvmException e) {
            throw wrap("commit", e);
        }
    }

    @Override
    public void rollback() throws ResourceException {
        Transaction t = active("rollback");
        txn = null;
        try {
            t.abort();
        } catch (RvmException e) {
            throw wrap("rollback", e);
        }
    }

    /** Cleanup by the container: aborts a local transaction left active. */
    void abandon() {
        Transaction t = transaction();
        txn = null;
        if (t != null) {
            try {
                t.abort();
            } catch (RvmException e) {
                Messages.closeFailed(e);
            }
        }
    }

    private Transaction active(String op) throws LocalTransactionException {
        Transaction t = transaction();
        if (t == null) {
            throw new LocalTransactionException(Messages.localTransaction(op + " without an active transaction"));
        }
        return t;
    }

    private static LocalTransactionException wrap(String op, RvmException e) {
        LocalTransactionException x = new LocalTransactionException(Messages.localTransaction(op + " failed: "
                + e.getMessage()), e.code().name());
        x.initCause(e);
        return x;
    }
}
