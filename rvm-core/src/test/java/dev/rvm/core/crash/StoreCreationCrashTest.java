package dev.rvm.core.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.testing.QuietLogs;
import dev.rvm.core.testing.SimulatedCrash;
import dev.rvm.core.testing.SimulatedStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash while a store is being created must never leave a store that cannot be opened again; and the
 * recognition of such a half-created log must never swallow a log that holds records.
 */
class StoreCreationCrashTest {
    static {
        QuietLogs.install();
    }

    private static final Path DIR = Path.of("/sim/store");

    @TempDir
    Path dir;

    private static RvmOptions options(SimulatedStorage storage) {
        return RvmOptions.builder(DIR).logSize(RvmOptions.MIN_LOG_SIZE).storage(storage).build();
    }

    @Test
    void crashAtEveryWriteOfStoreCreationLeavesAStoreThatOpensAndWorks() {
        SimulatedStorage counting = new SimulatedStorage();
        RecoverableMemory.open(options(counting)).close();
        long operations = counting.operations();
        assertTrue(operations > 3, "creation did some I/O: " + operations);
        for (long k = 0; k < operations; k++) {
            for (long seed = 0; seed < 3; seed++) {
                SimulatedStorage s = new SimulatedStorage();
                s.crashAtOperation(k);
                assertThrows(SimulatedCrash.class, () -> RecoverableMemory.open(options(s)).close(), "crash at " + k);
                SimulatedStorage after = s.reboot(seed);
                try (RecoverableMemory rvm = RecoverableMemory.open(options(after))) {
                    rvm.createSegment("s", 64);
                    Region r = rvm.map("s", 0, 64);
                    try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                        t.setRange(r, 0, 8);
                        r.putLong(0, 42);
                        t.commit(CommitMode.FLUSH);
                    }
                }
                try (RecoverableMemory rvm = RecoverableMemory.open(options(after))) {
                    assertEquals(42, rvm.map("s", 0, 64).getLong(0), "after a crash at operation " + k + ", seed " + seed);
                }
            }
        }
    }

    @Test
    void allZeroLogFileIsTakenAsAnInterruptedCreationAndOpensEmpty() throws Exception {
        Files.write(dir.resolve(RvmOptions.LOG_FILE_NAME), new byte[(int) RvmOptions.MIN_LOG_SIZE]);
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(dir).build())) {
            assertEquals(RvmOptions.MIN_LOG_SIZE - LogFormat.RECORD_AREA, rvm.statistics().logCapacity());
            assertEquals(0, rvm.statistics().logUsed());
        }
    }

    @Test
    void zeroedStatusBlocksInFrontOfRecordsAreRefusedAndNothingIsRewritten() throws Exception {
        RvmOptions o = RvmOptions.builder(dir).logSize(RvmOptions.MIN_LOG_SIZE).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            rvm.createSegment("s", 64);
            Region r = rvm.map("s", 0, 64);
            try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                t.setRange(r, 0, 8);
                r.putLong(0, 7);
                t.commit(CommitMode.FLUSH);
            }
        }
        Path log = dir.resolve(RvmOptions.LOG_FILE_NAME);
        byte[] bytes = Files.readAllBytes(log);
        Arrays.fill(bytes, 0, LogFormat.RECORD_AREA, (byte) 0);
        Files.write(log, bytes);
        RvmException e = assertThrows(RvmException.class, () -> RecoverableMemory.open(o).close());
        assertEquals(ErrorCode.NOT_A_STORE_FILE, e.code(), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(log), "the damaged log was left as it was");
    }
}
