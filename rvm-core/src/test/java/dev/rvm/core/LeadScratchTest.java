package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeadScratchTest {
    @TempDir
    Path dir;

    @Test
    void twoPhaseAcrossReopenAndTruncation() {
        RvmOptions o = RvmOptions.builder(dir).logSize(128 * 1024).truncationThreshold(0.3).build();
        BranchId b = BranchId.of("b1");
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 8000);
            Region r = rvm.map("s", 0, 8000);
            Transaction t = rvm.begin(RestoreMode.RESTORE);
            t.setRange(r, 0, 8);
            r.putLong(0, 42);
            assertEquals(PrepareResult.PREPARED, t.prepare(b));
            assertEquals(List.of(b), rvm.inDoubt());
            for (int i = 0; i < 20000; i++) {
                try (Transaction u = rvm.begin(RestoreMode.RESTORE)) {
                    long a = 8 + (i % 999) * 8L;
                    u.setRange(r, a, 8);
                    r.putLong(a, r.getLong(a) + 1);
                    u.commit(i % 3 == 0 ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
                }
            }
            System.out.println(rvm.statistics());
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertEquals(List.of(b), rvm.inDoubt());
            Region r = rvm.map("s", 0, 8000);
            assertEquals(0, r.getLong(0));
            long sum = 0;
            for (int a = 1; a < 1000; a++) {
                sum += r.getLong(a * 8L);
            }
            assertEquals(20000, sum);
            for (int i = 0; i < 20000; i++) {
                try (Transaction u = rvm.begin(RestoreMode.RESTORE)) {
                    long a = 8 + (i % 999) * 8L;
                    u.setRange(r, a, 8);
                    r.putLong(a, r.getLong(a) + 1);
                    u.commit(CommitMode.NO_FLUSH);
                }
            }
            rvm.commitPrepared(b);
            assertEquals(42, r.getLong(0));
            System.out.println(rvm.statistics());
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertEquals(List.of(), rvm.inDoubt());
            Region r = rvm.map("s", 0, 8000);
            assertEquals(42, r.getLong(0));
            long sum = 0;
            for (int a = 1; a < 1000; a++) {
                sum += r.getLong(a * 8L);
            }
            assertEquals(40000, sum);
        }
    }
}
