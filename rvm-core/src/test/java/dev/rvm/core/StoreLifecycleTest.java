package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening, reopening, locking and closing a store, and the options it is opened with. */
class StoreLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void openCreatesLogOfTheGivenSize() throws Exception {
        long size = 3 * 64 * 1024 + 4096 * 7;
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(dir).logSize(size).build())) {
            assertTrue(rvm.isOpen());
            assertEquals(size, Files.size(dir.resolve(RvmOptions.LOG_FILE_NAME)));
            Statistics s = rvm.statistics();
            assertTrue(s.logCapacity() > 0 && s.logCapacity() < size, "capacity " + s.logCapacity());
            assertEquals(0, s.logUsed());
            assertNotEquals(0, rvm.storeId());
        }
    }

    @Test
    void openCreatesMissingStoreDirectory() {
        Path nested = dir.resolve("a").resolve("b");
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(nested).build())) {
            assertTrue(rvm.isOpen());
            assertTrue(Files.isDirectory(nested));
        }
    }

    @Test
    void reopenKeepsCommittedDataStoreIdAndLogSize() throws Exception {
        long id;
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            id = rvm.storeId();
            rvm.createSegment("s", 4096);
            Region r = rvm.map("s", 0, 4096);
            RvmAssertions.putLong(rvm, r, 8, 0x1122334455667788L, CommitMode.FLUSH);
            RvmAssertions.putLong(rvm, r, 16, 42, CommitMode.NO_FLUSH);
        }
        // A different logSize on reopen is ignored: an existing log keeps its size.
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(dir).logSize(2 << 20).build())) {
            assertEquals(id, rvm.storeId());
            assertEquals(1 << 20, Files.size(dir.resolve(RvmOptions.LOG_FILE_NAME)));
            assertTrue(rvm.segmentExists("s"));
            assertEquals(4096, rvm.segmentSize("s"));
            Region r = rvm.map("s", 0, 4096);
            assertEquals(0x1122334455667788L, r.getLong(8));
            assertEquals(42, r.getLong(16));
            assertEquals(0, r.getLong(0));
        }
    }

    @Test
    void secondOpenInSameJvmIsStoreLocked() {
        RvmOptions o = RvmAssertions.small(dir).build();
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertRvm(ErrorCode.STORE_LOCKED, () -> RecoverableMemory.open(o));
            assertTrue(rvm.isOpen(), "the failed second open must not disturb the first");
            rvm.createSegment("s", 64);
        }
        // Once closed, the store opens again.
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertTrue(rvm.segmentExists("s"));
        }
    }

    @Test
    void openWhileAnotherProcessHoldsTheStoreIsStoreLocked() throws Exception {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            rvm.createSegment("s", 64);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StoreHolderMain.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertNotNull(line, "child exited without opening the store");
            assertTrue(line.startsWith("OPEN"), "child said: " + line);
            RvmException e = assertRvm(ErrorCode.STORE_LOCKED,
                    () -> RecoverableMemory.open(RvmAssertions.small(dir).build()));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        // The lock dies with the process.
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            assertTrue(rvm.segmentExists("s"));
        }
    }

    @Test
    void operationsAfterCloseAreStoreClosed() {
        RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build());
        rvm.createSegment("s", 4096);
        Region r = rvm.map("s", 0, 4096);
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, 0, 8);
        rvm.close();
        assertFalse(rvm.isOpen());
        assertFalse(r.isMapped());
        assertRvm(ErrorCode.STORE_CLOSED, () -> rvm.createSegment("t", 64));
        assertRvm(ErrorCode.STORE_CLOSED, () -> rvm.map("s", 0, 64));
        assertRvm(ErrorCode.STORE_CLOSED, () -> rvm.begin(RestoreMode.RESTORE));
        assertRvm(ErrorCode.STORE_CLOSED, rvm::flush);
        assertRvm(ErrorCode.STORE_CLOSED, rvm::truncate);
        assertRvm(ErrorCode.STORE_CLOSED, () -> rvm.commitPrepared(BranchId.of("x")));
        assertRvm(ErrorCode.STORE_CLOSED, () -> rvm.rollbackPrepared(BranchId.of("x")));
        assertRvm(ErrorCode.STORE_CLOSED, () -> t.commit(CommitMode.FLUSH));
        assertRvm(ErrorCode.STORE_CLOSED, () -> t.setRange(r, 8, 8));
        rvm.close(); // idempotent
    }

    @Test
    void badOptionsAreRefused() {
        RvmOptions.Builder b = RvmOptions.builder(dir);
        assertRvm(ErrorCode.BAD_OPTION, () -> b.logSize(RvmOptions.MIN_LOG_SIZE - 1));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.logSize(-1));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.truncationThreshold(0));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.truncationThreshold(1.01));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.truncationThreshold(Double.NaN));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.lockTimeout(Duration.ofMillis(-1)));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.lockTimeout(null));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.logFullTimeout(Duration.ofSeconds(-5)));
        assertRvm(ErrorCode.BAD_OPTION, () -> b.lazyBufferLimit(4095));
        // The boundaries themselves are accepted.
        RvmOptions o = b.logSize(RvmOptions.MIN_LOG_SIZE).truncationThreshold(1).lockTimeout(Duration.ZERO)
                .lazyBufferLimit(4096).build();
        assertEquals(RvmOptions.MIN_LOG_SIZE, o.logSize());
        try (RecoverableMemory rvm = RecoverableMemory.open(o)) {
            assertTrue(rvm.isOpen());
        }
    }

    @Test
    void createIfMissingFalseOnEmptyDirectoryFailsWithoutCreatingAnything() throws Exception {
        RvmException e = assertRvm(ErrorCode.NOT_A_STORE_FILE,
                () -> RecoverableMemory.open(RvmOptions.builder(dir).createIfMissing(false).build()));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing may be created");
        }
        Path missing = dir.resolve("nope");
        assertRvm(ErrorCode.NOT_A_STORE_FILE,
                () -> RecoverableMemory.open(RvmOptions.builder(missing).createIfMissing(false).build()));
        assertFalse(Files.exists(missing));
    }

    @Test
    void createIfMissingFalseOpensAnExistingStore() {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(dir).build())) {
            rvm.createSegment("s", 64);
        }
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(dir).createIfMissing(false).build())) {
            assertTrue(rvm.segmentExists("s"));
        }
    }
}
