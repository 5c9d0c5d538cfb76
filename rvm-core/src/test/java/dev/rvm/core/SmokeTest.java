package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void committedValuesSurviveReopenAndTruncation() {
        RvmOptions o = RvmOptions.builder(dir).logSize(1 << 20).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("accounts", 8 * 1000);
            Region r = rvm.map("accounts", 0, 8 * 1000);
            for (int i = 0; i < 5000; i++) {
                try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                    int a = i % 1000;
                    t.setRange(r, a * 8L, 8);
                    r.putLong(a * 8L, r.getLong(a * 8L) + 1);
                    t.commit(i % 2 == 0 ? CommitMode.FLUSH : CommitMode.NO_FLUSH);
                }
            }
            rvm.flush();
            System.out.println(rvm.statistics());
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            Region r = rvm.map("accounts", 0, 8 * 1000);
            for (int a = 0; a < 1000; a++) {
                assertEquals(5, r.getLong(a * 8L), "account " + a);
            }
            System.out.println(rvm.statistics());
        }
    }
}
