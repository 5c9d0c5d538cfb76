package dev.rvm.example.ledger;

import dev.rvm.core.Region;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the ledger in the {@code accounts} region: a 64-byte header (magic, account count) followed by
 * 32-byte slots, each a zero-padded UTF-8 name of up to 24 bytes and a little-endian {@code long} balance.
 * Names never change once written, so they are read without locks; balances are changed only under a range
 * declared with {@code setRange}. Public as the documented layout of the region, for tools and tests. Not
 * thread-safe: a view for the thread running one transaction.
 */
public final class Accounts {
    /** The region name configured in the resource adapter. */
    public static final String REGION = "accounts";

    private static final long MAGIC = 0x314745444c4d5652L; // "RVMLEDG1" read little-endian
    private static final int COUNT = 8;
    private static final int HEADER = 64;
    private static final int SLOT = 32;
    private static final int NAME = 24;

    private final Region region;

    /** @param region the {@code accounts} region */
    public Accounts(Region region) {
        this.region = region;
    }

    /** Whether the region already holds a ledger. */
    public boolean initialised() {
        return region.getLong(0) == MAGIC;
    }

    /** How many bytes a ledger of {@code n} accounts occupies: the range to declare before {@link #create}. */
    public static long bytesFor(int n) {
        return HEADER + (long) n * SLOT;
    }

    /** Writes a new ledger; the caller has declared {@code [0, bytesFor(names.size()))}. */
    public void create(List<String> names, long openingBalance) {
        if (bytesFor(names.size()) > region.length()) {
            throw new IllegalStateException("region " + REGION + " holds at most " + (region.length() - HEADER) / SLOT
                    + " accounts");
        }
        byte[] slot = new byte[SLOT];
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > NAME) {
                throw new IllegalArgumentException("account name must be 1.." + NAME + " bytes: " + names.get(i));
            }
            java.util.Arrays.fill(slot, (byte) 0);
            System.arraycopy(name, 0, slot, 0, name.length);
            region.put(slotOffset(i), slot, 0, NAME);
            region.putLong(balanceOffset(i), openingBalance);
        }
        region.putInt(COUNT, names.size());
        region.putLong(0, MAGIC); // last, so a reader never sees the magic without the accounts
    }

    /** Number of accounts. */
    public int count() {
        return initialised() ? region.getInt(COUNT) : 0;
    }

    /** The slot of {@code name}, or -1. */
    public int find(String name) {
        int n = count();
        for (int i = 0; i < n; i++) {
            if (name(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The name in slot {@code i}. */
    public String name(int i) {
        byte[] b = new byte[NAME];
        region.get(slotOffset(i), b, 0, NAME);
        int len = 0;
        while (len < NAME && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /** The balance in slot {@code i}. */
    public long balance(int i) {
        return region.getLong(balanceOffset(i));
    }

    /** Sets the balance in slot {@code i}; the caller has declared {@link #balanceOffset(int)}, 8 bytes. */
    public void setBalance(int i, long value) {
        region.putLong(balanceOffset(i), value);
    }

    /** Every account in slot order. */
    public List<Balance> all() {
        int n = count();
        List<Balance> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Balance(name(i), balance(i)));
        }
        return out;
    }

    /** Offset of the balance of slot {@code i} in the region. */
    public static long balanceOffset(int i) {
        return slotOffset(i) + NAME;
    }

    /** Offset of the first slot: where the range covering all balances starts. */
    public static long slotsStart() {
        return HEADER;
    }

    private static long slotOffset(int i) {
        return HEADER + (long) i * SLOT;
    }
}
