package dev.rvm.core.internal.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lock table against a model, across its switch from the small array to the tree and back, and with lock
 * records reused after release. A request that must wait uses a zero timeout, so it fails at once.
 */
class RangeLockManagerTest {
    private static final int SEGMENT = 7;

    private static final class Owner extends LockOwner {
        final String name;
        final List<long[]> granted = new ArrayList<>(); // {start, end, exclusive ? 1 : 0}

        Owner(String name) {
            this.name = name;
        }

        @Override
        public String describe() {
            return name;
        }
    }

    private final RangeLockManager locks = new RangeLockManager();

    private void lock(Owner o, long start, long end, boolean exclusive) {
        locks.lock(o, SEGMENT, "seg", start, end, exclusive, 0);
        o.granted.add(new long[] {start, end, exclusive ? 1 : 0});
    }

    private void assertTimesOut(Owner o, long start, long end, boolean exclusive) {
        RvmException e = assertThrows(RvmException.class, () -> locks.lock(o, SEGMENT, "seg", start, end, exclusive, 0));
        assertEquals(ErrorCode.LOCK_TIMEOUT, e.code(), e.getMessage());
    }

    private void release(Owner o) {
        locks.releaseAll(o);
        o.granted.clear();
    }

    @Test
    void conflictsAreFoundWhileTheTableHoldsManyLocksAndAfterMostAreReleased() {
        Owner a = new Owner("a");
        Owner b = new Owner("b");
        for (int i = 0; i < 4 * RangeLockManager.FEW; i++) {
            lock(a, i * 16L, i * 16L + 8, true);
        }
        assertTimesOut(b, 5 * 16 + 4, 5 * 16 + 6, false);
        assertTimesOut(b, 40 * 16 - 1, 40 * 16 + 1, true);
        lock(b, 5 * 16 + 8, 6 * 16, true); // the gap between two of a's locks
        release(a);
        lock(a, 0, 8, true);
        lock(a, 100, 200, false);
        assertTimesOut(b, 4, 12, true);
        assertTimesOut(b, 150, 151, true);
        lock(b, 150, 160, false); // shared with shared
        assertTimesOut(a, 5 * 16 + 10, 5 * 16 + 11, false); // b's exclusive lock is still there
        release(b);
        lock(a, 5 * 16 + 10, 5 * 16 + 11, true);
        release(a);
    }

    @Test
    void randomLockingByManyOwnersMatchesAModelOfWhoConflicts() {
        Random rnd = new Random(20261125);
        Owner[] owners = new Owner[6];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = new Owner("owner " + i);
        }
        int granted = 0;
        int refused = 0;
        for (int step = 0; step < 20_000; step++) {
            Owner o = owners[rnd.nextInt(owners.length)];
            if (rnd.nextInt(30) == 0) {
                release(o);
                continue;
            }
            long start = rnd.nextInt(2000);
            long end = start + 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 300 : 12);
            boolean exclusive = rnd.nextBoolean();
            if (conflicts(owners, o, start, end, exclusive)) {
                assertTimesOut(o, start, end, exclusive);
                refused++;
            } else {
                lock(o, start, end, exclusive);
                granted++;
            }
        }
        // Both outcomes happened often enough for the model to mean something.
        assertEquals(true, granted > 1000 && refused > 1000, granted + " granted, " + refused + " refused");
        for (Owner o : owners) {
            release(o);
        }
        Owner last = new Owner("last");
        lock(last, 0, 3000, true); // nothing left behind
    }

    private static boolean conflicts(Owner[] owners, Owner requester, long start, long end, boolean exclusive) {
        for (Owner other : owners) {
            if (other == requester) {
                continue;
            }
            for (long[] g : other.granted) {
                if (g[0] < end && start < g[1] && (exclusive || g[2] == 1)) {
                    return true;
                }
            }
        }
        return false;
    }
}
