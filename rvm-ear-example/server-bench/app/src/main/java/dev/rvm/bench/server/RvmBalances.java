package dev.rvm.bench.server;

import dev.rvm.core.Region;
import dev.rvm.ra.RvmConnection;

/**
 * The RVM side of the benchmark: account {@code i}'s balance is the little-endian {@code long} at offset
 * {@code 8 * i} of the adapter's {@code main} region (1 MiB in the RAR's configuration, so at most 131,072
 * accounts). The bench deploys without the example ledger, whose region ({@code accounts}) it leaves alone.
 * Stateless, thread-safe; each call runs on the caller's connection, inside its JTA transaction.
 */
final class RvmBalances {
    /** The region configured in the RAR's {@code ironjacamar.xml}. */
    static final String REGION = "main";

    private RvmBalances() {
    }

    /** Sets every balance to {@code opening}, declaring the whole range once. */
    static void create(RvmConnection c, int accounts, long opening) {
        Region r = c.region(REGION);
        long bytes = (long) accounts * Long.BYTES;
        if (accounts <= 0 || bytes > r.length()) {
            throw new IllegalArgumentException("accounts must be 1.." + r.length() / Long.BYTES + " (region "
                    + REGION + " is " + r.length() + " bytes): " + accounts);
        }
        c.setRange(r, 0, bytes);
        for (int i = 0; i < accounts; i++) {
            r.putLong((long) i * Long.BYTES, opening);
        }
    }

    /**
     * Case (1), and the RVM part of case (2): declares both balances in account order (so two opposite transfers
     * cannot deadlock on the range locks), then debits and credits.
     */
    static void transfer(RvmConnection c, int from, int to, long amount) {
        Region r = c.region(REGION);
        long f = offset(r, from);
        long t = offset(r, to);
        c.setRange(r, Math.min(f, t), Long.BYTES);
        c.setRange(r, Math.max(f, t), Long.BYTES);
        r.putLong(f, r.getLong(f) - amount);
        r.putLong(t, r.getLong(t) + amount);
    }

    /**
     * One side of a transfer between two servers (case rvm-remote): declares the balance of {@code account} and adds
     * {@code delta} to it (negative: a debit).
     */
    static void add(RvmConnection c, int account, long delta) {
        Region r = c.region(REGION);
        long off = offset(r, account);
        c.setRange(r, off, Long.BYTES);
        r.putLong(off, r.getLong(off) + delta);
    }

    /** Sum of the first {@code accounts} balances, read under a shared lock. */
    static long total(RvmConnection c, int accounts) {
        Region r = c.region(REGION);
        long bytes = (long) accounts * Long.BYTES;
        c.lockShared(r, 0, bytes);
        long sum = 0;
        for (long off = 0; off < bytes; off += Long.BYTES) {
            sum += r.getLong(off);
        }
        return sum;
    }

    private static long offset(Region r, int account) {
        long off = (long) account * Long.BYTES;
        if (account < 0 || off + Long.BYTES > r.length()) {
            throw new IllegalArgumentException("no account " + account + " in region " + REGION);
        }
        return off;
    }
}
