package dev.rvm.example.ledger;

import dev.rvm.core.Transaction;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import jakarta.resource.ResourceException;
import java.sql.SQLException;
import java.util.List;

/**
 * The work of the ledger, shared by {@link LedgerBean} and {@link CdiLedger}; always runs inside the caller's JTA
 * transaction, which both the RVM connection and the datasource connection join. Stateless, thread-safe.
 */
final class TransferWork {
    /** Largest amount accepted, far from overflowing a balance. */
    static final long MAX_AMOUNT = 1_000_000_000_000L;

    private TransferWork() {
    }

    /**
     * Moves {@code amount} from {@code from} to {@code to} and writes the audit row. The steps run in the order
     * debit, audit row, credit, and the destination account is checked only when crediting it, so that every
     * failure below happens after both resources have been written to — the point of the example is that nothing
     * of it survives:
     * The accounts are those of the {@link AccountBook} (opened and closed at run time).
     * <ul>
     *   <li>unknown destination: {@link LedgerException} after the debit and the audit row;</li>
     *   <li>database error (e.g. a memo longer than {@link AuditLog#MEMO_LENGTH}): {@link LedgerException} after
     *       the debit;</li>
     *   <li>overdraft: the transfer completes, then {@code markRollbackOnly} runs and the result says
     *       {@code REJECTED}.</li>
     * </ul>
     */
    static TransferResult transfer(RvmConnectionFactory rvm, AuditLog audit, String from, String to, long amount,
                                   String memo, String via, Runnable markRollbackOnly) {
        if (from == null || to == null || from.equals(to) || amount <= 0 || amount > MAX_AMOUNT) {
            throw new LedgerException(LedgerException.Reason.INVALID_REQUEST,
                    "need two different accounts and an amount in 1.." + MAX_AMOUNT, null);
        }
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            AccountBook book = AccountBook.of(tx, c.region(AccountBook.REGION));
            // Lock both accounts in name order: two opposite transfers then cannot deadlock.
            Long[] balances = book.lock(tx, from, to);
            if (balances[0] == null) {
                throw unknown(from);
            }
            long fromBalance = balances[0] - amount;
            book.set(tx, from, fromBalance);
            try {
                audit.record(from, to, amount, via, memo);
            } catch (SQLException e) {
                throw new LedgerException(LedgerException.Reason.AUDIT_FAILED, "audit row not written: " + e, e);
            }
            if (balances[1] == null) {
                throw unknown(to);
            }
            book.set(tx, to, balances[1] + amount);

            return outcome(from, to, amount, fromBalance, markRollbackOnly);
        }
    }

    /**
     * The sending side of a transfer to the ledger on another server: locks and debits {@code from} here, calls the
     * other server's {@link RemoteLedger#credit} in the same (propagated) transaction, then writes this server's
     * audit row ({@code from -> to@node}). Only the local account is locked here; the other server locks its own.
     * An overdraft is detected at the end, after both servers have been written to, and marks the transaction
     * rollback-only, as {@link #transfer} does.
     */
    static TransferResult transferToPeer(RvmConnectionFactory rvm, AuditLog audit, RemoteLedger peer, String from,
                                         String to, long amount, String memo, String via, Runnable markRollbackOnly) {
        checkPeerRequest(from, to, amount);
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            AccountBook book = AccountBook.of(tx, c.region(AccountBook.REGION));
            long fromBalance = lockExisting(book, tx, from) - amount;
            book.set(tx, from, fromBalance);
            TransferResult credited = peer.credit(from + "@" + PeerLedger.localNode(), to, amount, memo);
            String remoteTo = to + "@" + credited.message();
            try {
                audit.record(from, remoteTo, amount, via, memo);
            } catch (SQLException e) {
                throw new LedgerException(LedgerException.Reason.AUDIT_FAILED, "audit row not written: " + e, e);
            }
            return outcome(from, remoteTo, amount, fromBalance, markRollbackOnly);
        }
    }

    /**
     * The receiving side of a transfer from another server, in that server's propagated transaction: locks and
     * credits {@code to} here and writes this server's audit row ({@code from@node -> to}, {@code via = remote}).
     * The result's {@code message} is this server's node name, which the caller writes into its own audit row.
     */
    static TransferResult creditFromPeer(RvmConnectionFactory rvm, AuditLog audit, String from, String to,
                                         long amount, String memo) {
        checkPeerRequest(from, to, amount);
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            AccountBook book = AccountBook.of(tx, c.region(AccountBook.REGION));
            long toBalance = lockExisting(book, tx, to) + amount;
            book.set(tx, to, toBalance);
            try {
                audit.record(from, to, amount, "remote", memo);
            } catch (SQLException e) {
                throw new LedgerException(LedgerException.Reason.AUDIT_FAILED, "audit row not written: " + e, e);
            }
            return new TransferResult(TransferResult.COMMITTED, from, to, amount, toBalance,
                    PeerLedger.localNode());
        }
    }

    /** Every balance, each account read under a shared lock so that no half-done transfer shows. */
    static List<Balance> balances(RvmConnectionFactory rvm) {
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            return AccountBook.of(tx, c.region(AccountBook.REGION)).all(tx);
        }
    }

    /**
     * Opens the accounts {@code names} with {@code openingBalance} if the book holds none yet; whether it did. An
     * existing book is recognised without taking a lock (opening it and reading its size lock nothing), so startup
     * never waits for accounts that a branch left in doubt by a crash still holds.
     */
    static boolean createIfNew(RvmConnectionFactory rvm, List<String> names, long openingBalance) {
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            AccountBook book = AccountBook.of(tx, c.region(AccountBook.REGION));
            if (book.size() > 0) {
                return false;
            }
            for (String name : names) {
                book.open(tx, name, openingBalance);
            }
            return true;
        }
    }

    /** Opens an empty account; false if it is open already. */
    static boolean openAccount(RvmConnectionFactory rvm, String name) {
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            return AccountBook.of(tx, c.region(AccountBook.REGION)).open(tx, name, 0);
        }
    }

    /** Closes an empty account; false if there is no such account. */
    static boolean closeAccount(RvmConnectionFactory rvm, String name) {
        try (RvmConnection c = connect(rvm)) {
            Transaction tx = c.transaction();
            return AccountBook.of(tx, c.region(AccountBook.REGION)).close(tx, name);
        }
    }

    static RvmConnection connect(RvmConnectionFactory rvm) {
        try {
            return rvm.getConnection();
        } catch (ResourceException e) {
            throw new IllegalStateException("no RVM connection: " + e, e);
        }
    }

    /** The two ends and amount of a transfer between servers (the accounts are on different ledgers). */
    private static void checkPeerRequest(String from, String to, long amount) {
        if (from == null || to == null || amount <= 0 || amount > MAX_AMOUNT) {
            throw new LedgerException(LedgerException.Reason.INVALID_REQUEST,
                    "need two accounts and an amount in 1.." + MAX_AMOUNT, null);
        }
    }

    /** Locks {@code account} for update and returns its balance; an account this ledger does not hold is refused. */
    private static long lockExisting(AccountBook book, Transaction tx, String account) {
        Long balance = book.lockOne(tx, account);
        if (balance == null) {
            throw unknown(account);
        }
        return balance;
    }

    private static LedgerException unknown(String account) {
        return new LedgerException(LedgerException.Reason.UNKNOWN_ACCOUNT, "no account " + account, null);
    }

    /** Committed, or rejected (the transaction marked rollback-only) when the debit left {@code from} below zero. */
    private static TransferResult outcome(String from, String to, long amount, long fromBalance,
                                          Runnable markRollbackOnly) {
        if (fromBalance < 0) {
            markRollbackOnly.run();
            return new TransferResult(TransferResult.REJECTED, from, to, amount, fromBalance,
                    "insufficient funds: " + from + " would be at " + fromBalance);
        }
        return new TransferResult(TransferResult.COMMITTED, from, to, amount, fromBalance, "ok");
    }
}
