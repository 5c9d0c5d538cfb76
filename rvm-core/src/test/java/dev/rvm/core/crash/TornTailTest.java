package dev.rvm.core.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rvm.core.CommitMode;
import dev.rvm.core.ErrorCode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.internal.StoreFiles;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.log.StatusBlock;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import dev.rvm.core.testing.ManualExecutor;
import dev.rvm.core.testing.QuietLogs;
import dev.rvm.core.testing.SimulatedStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The last record of the log cut at every byte offset (the rest zeroed, or overwritten with junk) recovers to the
 * state before that record, and the store keeps working; a damaged record followed by valid forced records is
 * refused with {@link ErrorCode#LOG_CORRUPT}, never skipped.
 */
class TornTailTest {
    static {
        QuietLogs.install();
    }

    static final Path DIR = Path.of("/simulated/torn");
    static final int RECORDS = 12;
    static final int SIZE = 4096;

    static RvmOptions options(Storage s) {
        return RvmOptions.builder(DIR).storage(s).logSize(RvmOptions.MIN_LOG_SIZE)
                .truncationExecutor(new ManualExecutor()).build();
    }

    /** A store with {@link #RECORDS} FLUSH commits, the region before and after the last, and the records. */
    record Built(SimulatedStorage storage, byte[] before, byte[] after, List<long[]> records) {
        long physical(long lsn) {
            return LogFormat.RECORD_AREA + lsn % (RvmOptions.MIN_LOG_SIZE - LogFormat.RECORD_AREA);
        }
    }

    static byte[] pattern(int i, int len) {
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) {
            b[k] = (byte) (i * 13 + k + 1);
        }
        return b;
    }

    static byte[] contents(Region r) {
        byte[] b = new byte[(int) r.length()];
        r.get(0, b, 0, b.length);
        return b;
    }

    static Built build() {
        SimulatedStorage s = new SimulatedStorage();
        byte[] before = null;
        byte[] after;
        try (RecoverableMemory rvm = RecoverableMemory.open(options(s))) {
            rvm.createSegment("seg", SIZE);
            Region r = rvm.map("seg", 0, SIZE);
            for (int i = 0; i < RECORDS; i++) {
                before = contents(r);
                try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                    int len = 40 + 17 * i;
                    t.setRange(r, i * 300L, len);
                    r.put(i * 300L, pattern(i, len), 0, len);
                    t.commit(CommitMode.FLUSH);
                }
            }
            after = contents(r);
        }
        return new Built(s, before, after, records(s, DIR.resolve(RvmOptions.LOG_FILE_NAME)));
    }

    /** [lsn, end] of every record of the live log, read with the engine's own scanner. */
    static List<long[]> records(Storage s, Path logPath) {
        try (StorageFile f = s.openReadOnly(logPath)) {
            LogFile log = new LogFile(f, f.size());
            StatusBlock st = StoreFiles.readStatus(log, logPath);
            LogScanner sc = new LogScanner(log, (int) st.storeId(), st.head(), st.head() + log.capacity(), 0);
            List<long[]> out = new ArrayList<>();
            LogRecord r;
            while ((r = sc.next()) != null) {
                out.add(new long[] {r.lsn(), r.end()});
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] recover(SimulatedStorage s) {
        try (RecoverableMemory rvm = RecoverableMemory.open(options(s))) {
            return contents(rvm.map("seg", 0, SIZE));
        }
    }

    @Test
    void theWorkloadLeavesOneRecordPerCommitAndRecoversToTheLastOne() {
        Built b = build();
        assertEquals(RECORDS, b.records().size(), "records in the live log");
        assertArrayEquals(b.after(), recover(b.storage().snapshot()));
    }

    @Test
    void lastRecordCutAtEveryByteAndZeroedRecoversToTheRecordBefore() {
        cutAtEveryByte(false);
    }

    @Test
    void lastRecordCutAtEveryByteAndFilledWithJunkRecoversToTheRecordBefore() {
        cutAtEveryByte(true);
    }

    private static void cutAtEveryByte(boolean junk) {
        Built b = build();
        long[] last = b.records().get(b.records().size() - 1);
        int len = (int) (last[1] - last[0]);
        Path log = DIR.resolve(RvmOptions.LOG_FILE_NAME);
        Random random = new Random(len);
        for (int cut = 0; cut < len; cut++) {
            SimulatedStorage s = b.storage().snapshot();
            byte[] fill = new byte[len - cut];
            if (junk) {
                random.nextBytes(fill);
            }
            boolean unchanged;
            try {
                long at = b.physical(last[0]) + cut;
                unchanged = Arrays.equals(fill, Arrays.copyOfRange(s.bytes(log), (int) at,
                        (int) at + fill.length));
                s.overwrite(log, at, fill);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String where = "last record (" + len + " bytes) cut at byte " + cut + (junk ? " + junk" : " + zeros");
            // Zeroing bytes that were zero already (the high bytes of the reverse length) damages nothing.
            assertArrayEquals(unchanged ? b.after() : b.before(), recover(s), where + ": recovered state");
            // The store stays usable: a new commit after the cut survives a clean reopen.
            try (RecoverableMemory rvm = RecoverableMemory.open(options(s))) {
                Region r = rvm.map("seg", 0, SIZE);
                try (Transaction t = rvm.begin(RestoreMode.NO_RESTORE)) {
                    t.setRange(r, SIZE - 8, 8);
                    r.putLong(SIZE - 8, cut + 1);
                    t.commit(CommitMode.FLUSH);
                }
            }
            try (RecoverableMemory rvm = RecoverableMemory.open(options(s))) {
                assertEquals(cut + 1, rvm.map("seg", 0, SIZE).getLong(SIZE - 8), where + ": commit after the cut");
            }
        }
    }

    @Test
    void damagedRecordFollowedByValidForcedRecordsIsLogCorrupt() throws IOException {
        Built b = build();
        Path log = DIR.resolve(RvmOptions.LOG_FILE_NAME);
        for (int i = 0; i < b.records().size() - 1; i++) {
            long[] rec = b.records().get(i);
            long[] offsets = {rec[0] + LogFormat.HEADER_SIZE + 3, rec[1] - 2, rec[0] + LogFormat.H_CRC};
            for (long at : offsets) {
                SimulatedStorage s = b.storage().snapshot();
                byte[] one = s.bytes(log);
                long phys = b.physical(at);
                s.overwrite(log, phys, new byte[] {(byte) (one[(int) phys] ^ 0x5A)});
                RvmException e = assertThrows(RvmException.class, () -> recover(s),
                        "record " + i + " damaged at lsn " + at + " was skipped");
                assertEquals(ErrorCode.LOG_CORRUPT, e.code(), "record " + i + " damaged: " + e);
            }
        }
    }
}
