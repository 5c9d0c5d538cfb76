package dev.rvm.example.ledger;

import dev.rvm.core.Region;
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
            Region region = c.region(Accounts.REGION);
            Accounts accounts = new Accounts(region);
            int src = accounts.find(from);
            if (src < 0) {
                throw unknown(from);
            }
            int dst = accounts.find(to);
            // Declare (and so lock) both balances in slot order: two opposite transfers then cannot deadlock.
            if (dst >= 0 && dst < src) {
                c.setRange(region, Accounts.balanceOffset(dst), Long.BYTES);
            }
            c.setRange(region, Accounts.balanceOffset(src), Long.BYTES);
            if (dst > src) {
                c.setRange(region, Accounts.balanceOffset(dst), Long.BYTES);
            }

            long fromBalance = accounts.balance(src) - amount;
            accounts.setBalance(src, fromBalance);
            try {
                audit.record(from, to, amount, via, memo);
            } catch (SQLException e) {
                throw new LedgerException(LedgerException.Reason.AUDIT_FAILED, "audit row not written: " + e, e);
            }
            if (dst < 0) {
                throw unknown(to);
            }
            accounts.setBalance(dst, accounts.balance(dst) + amount);

            if (fromBalance < 0) {
                markRollbackOnly.run();
                return new TransferResult(TransferResult.REJECTED, from, to, amount, fromBalance,
                        "insufficient funds: " + from + " would be at " + fromBalance);
            }
            return new TransferResult(TransferResult.COMMITTED, from, to, amount, fromBalance, "ok");
        }
    }

    /** Every balance, read under a shared lock so that no half-done transfer shows. */
    static List<Balance> balances(RvmConnectionFactory rvm) {
        try (RvmConnection c = connect(rvm)) {
            Region region = c.region(Accounts.REGION);
            Accounts accounts = new Accounts(region);
            int n = accounts.count();
            if (n > 0) {
                c.lockShared(region, Accounts.slotsStart(), Accounts.bytesFor(n) - Accounts.slotsStart());
            }
            return accounts.all();
        }
    }

    /**
     * Creates the ledger with {@code names} if the region holds none yet; returns whether it did. An existing ledger
     * is recognised without taking any lock: its magic is written last and only by this method, and the region shows
     * committed values only (an in-doubt branch's new values are not installed), so a set magic is a committed
     * ledger. Startup therefore never waits for balances that a branch left in doubt by a crash still holds.
     */
    static boolean createIfNew(RvmConnectionFactory rvm, List<String> names, long openingBalance) {
        try (RvmConnection c = connect(rvm)) {
            Region region = c.region(Accounts.REGION);
            Accounts accounts = new Accounts(region);
            if (accounts.initialised()) {
                return false;
            }
            c.setRange(region, 0, Accounts.bytesFor(names.size())); // serialises two concurrent creators
            if (accounts.initialised()) {
                return false;
            }
            accounts.create(names, openingBalance);
            return true;
        }
    }

    static RvmConnection connect(RvmConnectionFactory rvm) {
        try {
            return rvm.getConnection();
        } catch (ResourceException e) {
            throw new IllegalStateException("no RVM connection: " + e, e);
        }
    }

    private static LedgerException unknown(String account) {
        return new LedgerException(LedgerException.Reason.UNKNOWN_ACCOUNT, "no account " + account, null);
    }
}
