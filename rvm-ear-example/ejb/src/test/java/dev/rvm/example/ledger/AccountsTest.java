package dev.rvm.example.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.Region;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout of the ledger in its region, on a heap stand-in for an RVM region. */
class AccountsTest {

    @Test
    void emptyRegionHoldsNoLedger() {
        Accounts accounts = new Accounts(new HeapRegion(4096));
        assertFalse(accounts.initialised());
        assertEquals(0, accounts.count());
        assertEquals(-1, accounts.find("alice"));
        assertEquals(List.of(), accounts.all());
    }

    @Test
    void createdLedgerListsAccountsInOrderWithOpeningBalances() {
        Accounts accounts = new Accounts(new HeapRegion(4096));
        accounts.create(List.of("alice", "bob", "a-name-of-24-bytes-long!"), 1000);
        assertTrue(accounts.initialised());
        assertEquals(List.of(new Balance("alice", 1000), new Balance("bob", 1000),
                new Balance("a-name-of-24-bytes-long!", 1000)), accounts.all());
        assertEquals(1, accounts.find("bob"));
        assertEquals(-1, accounts.find("bo"));
    }

    @Test
    void balanceChangesOnlyItsOwnEightBytes() {
        HeapRegion region = new HeapRegion(4096);
        Accounts accounts = new Accounts(region);
        accounts.create(List.of("alice", "bob"), 1000);
        accounts.setBalance(1, -5);
        assertEquals(-5, region.getLong(Accounts.balanceOffset(1)));
        assertEquals(List.of(new Balance("alice", 1000), new Balance("bob", -5)), accounts.all());
    }

    @Test
    void declaredRangeCoversHeaderAndSlots() {
        HeapRegion region = new HeapRegion(4096);
        new Accounts(region).create(List.of("a", "b", "c"), 1);
        long end = Accounts.bytesFor(3);
        assertTrue(Accounts.balanceOffset(2) + Long.BYTES <= end);
        for (long i = end; i < region.length(); i++) {
            assertEquals(0, region.getByte(i), "byte " + i + " outside the declared range was written");
        }
    }

    @Test
    void tooLongNameOrTooManyAccountsAreRefused() {
        Accounts accounts = new Accounts(new HeapRegion(4096));
        assertThrows(IllegalArgumentException.class, () -> accounts.create(List.of("a-name-of-25-bytes-long!!"), 1));
        assertThrows(IllegalArgumentException.class, () -> accounts.create(List.of(""), 1));
        Accounts small = new Accounts(new HeapRegion(Accounts.bytesFor(2)));
        assertThrows(IllegalStateException.class, () -> small.create(List.of("a", "b", "c"), 1));
    }

    /** A region on a heap buffer, little-endian like RVM's. Not thread-safe. */
    private static final class HeapRegion implements Region {
        private final ByteBuffer buf;

        HeapRegion(long length) {
            buf = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public String segment() {
            return "heap";
        }

        @Override
        public long offset() {
            return 0;
        }

        @Override
        public long length() {
            return buf.capacity();
        }

        @Override
        public boolean isMapped() {
            return true;
        }

        @Override
        public byte getByte(long offset) {
            return buf.get((int) offset);
        }

        @Override
        public int getInt(long offset) {
            return buf.getInt((int) offset);
        }

        @Override
        public long getLong(long offset) {
            return buf.getLong((int) offset);
        }

        @Override
        public void get(long offset, byte[] dst, int dstOffset, int length) {
            buf.get((int) offset, dst, dstOffset, length);
        }

        @Override
        public void putByte(long offset, byte value) {
            buf.put((int) offset, value);
        }

        @Override
        public void putInt(long offset, int value) {
            buf.putInt((int) offset, value);
        }

        @Override
        public void putLong(long offset, long value) {
            buf.putLong((int) offset, value);
        }

        @Override
        public void put(long offset, byte[] src, int srcOffset, int length) {
            buf.put((int) offset, src, srcOffset, length);
        }
    }
}
