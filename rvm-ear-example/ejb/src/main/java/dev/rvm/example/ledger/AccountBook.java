package dev.rvm.example.ledger;

import dev.rvm.core.Region;
import dev.rvm.core.Transaction;
import dev.rvm.core.heap.RecoverableHeap;
import dev.rvm.core.heap.map.Codecs;
import dev.rvm.core.heap.map.RecoverableHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger's accounts by name in a recoverable hash map (name to balance) on a recoverable heap in region
 * {@value #REGION}, so accounts can be opened and closed at run time instead of living in a fixed table. Every
 * call runs in the caller's transaction ({@code RvmConnection.transaction()} inside the container): opening,
 * closing and transfers commit or roll back with the audit row.
 *
 * <p>Thread-safe: the map locks the buckets of the names a transaction touches until it ends; {@link #lock} takes a
 * transfer's two accounts in name order, so two opposite transfers queue instead of deadlocking. One book per region is kept
 * (by region), so that the heap's arena hints are shared by every caller.
 */
public final class AccountBook {
    /** The region the book lives in (a region of the adapter's {@code regions} property). */
    public static final String REGION = "book";
    /** Longest account name, in UTF-8 bytes. */
    public static final int MAX_NAME = 64;

    private static final int ROOT = 0;
    private static final Map<Region, AccountBook> BOOKS = new ConcurrentHashMap<>();

    private final RecoverableHashMap<String, Long> balances;

    private AccountBook(RecoverableHashMap<String, Long> balances) {
        this.balances = balances;
    }

    /**
     * The book in {@code region}; on first use, formats the heap and creates the map in {@code tx} (serialised by
     * a lock on the heap's first bytes, so two first users cannot both create it).
     */
    public static AccountBook of(Transaction tx, Region region) {
        AccountBook b = BOOKS.get(region);
        if (b != null) {
            return b;
        }
        if (!RecoverableHeap.isFormatted(region)) {
            tx.setRange(region, 0, 8);
            if (!RecoverableHeap.isFormatted(region)) {
                RecoverableHeap heap = RecoverableHeap.format(tx, region, 4);
                RecoverableHashMap<String, Long> m = RecoverableHashMap.create(tx, heap, Codecs.STRING, Codecs.LONG,
                        1 << 16);
                heap.setRoot(tx, ROOT, m.address());
                return new AccountBook(m); // not cached: it exists only if tx commits
            }
        }
        RecoverableHeap heap = RecoverableHeap.open(region);
        return BOOKS.computeIfAbsent(region, r -> new AccountBook(RecoverableHashMap.open(heap, heap.root(ROOT),
                Codecs.STRING, Codecs.LONG)));
    }

    /** Opens account {@code name} with {@code balance}; false if it is open already. */
    public boolean open(Transaction tx, String name, long balance) {
        checkName(name);
        if (balance < 0) {
            throw new LedgerException(LedgerException.Reason.INVALID_REQUEST, "an opening balance cannot be negative",
                    null);
        }
        if (balances.getForUpdate(tx, name) != null) {
            return false;
        }
        balances.put(tx, name, balance);
        return true;
    }

    /**
     * Closes account {@code name}, which must be empty; false if there is no such account.
     *
     * @throws LedgerException {@code INVALID_REQUEST} if it still holds money
     */
    public boolean close(Transaction tx, String name) {
        Long b = balances.getForUpdate(tx, name);
        if (b == null) {
            return false;
        }
        if (b != 0) {
            throw new LedgerException(LedgerException.Reason.INVALID_REQUEST, "account " + name + " holds " + b
                    + ": only an empty account can be closed", null);
        }
        return balances.remove(tx, name);
    }

    /** The balance of {@code name} under a shared lock, or null if there is no such account. */
    public Long balance(Transaction tx, String name) {
        return balances.get(tx, name);
    }

    /**
     * Locks the accounts {@code a} and {@code b} exclusively until {@code tx} ends, in name order (so two transfers
     * between the same accounts in opposite directions queue instead of deadlocking), and returns their balances,
     * null for a name that is not open.
     */
    public Long[] lock(Transaction tx, String a, String b) {
        boolean aFirst = a.compareTo(b) < 0;
        Long first = balances.getForUpdate(tx, aFirst ? a : b);
        Long second = balances.getForUpdate(tx, aFirst ? b : a);
        return aFirst ? new Long[] {first, second} : new Long[] {second, first};
    }

    /**
     * Locks the one account {@code name} exclusively until {@code tx} ends and returns its balance, null if it is not
     * open: each side of a transfer between two servers locks only its own account.
     */
    public Long lockOne(Transaction tx, String name) {
        return balances.getForUpdate(tx, name);
    }

    /** Sets the balance of an open account, locked by {@link #lock} or {@link #lockOne} in {@code tx}. */
    public void set(Transaction tx, String name, long balance) {
        balances.put(tx, name, balance);
    }

    /** Every account and balance, sorted by name, each read under a shared lock. */
    public List<Balance> all(Transaction tx) {
        List<Balance> out = new ArrayList<>();
        balances.forEach(tx, (name, balance) -> out.add(new Balance(name, balance)));
        out.sort(Comparator.comparing(Balance::account));
        return out;
    }

    /** Number of open accounts. */
    public long size() {
        return balances.size();
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()
                || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME) {
            throw new LedgerException(LedgerException.Reason.INVALID_REQUEST, "an account name needs 1.." + MAX_NAME
                    + " UTF-8 bytes", null);
        }
    }
}
