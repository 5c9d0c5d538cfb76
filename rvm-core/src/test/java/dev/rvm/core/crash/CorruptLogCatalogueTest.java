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
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.io.FileStorage;
import dev.rvm.core.testing.QuietLogs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue of damaged store files on the real file system, one named test per case (in the manner of
 * BookKeeper's journal tests): each is refused with its exact error code, or, where nothing committed is lost,
 * opens with every committed value intact.
 */
class CorruptLogCatalogueTest {
    static {
        QuietLogs.install();
    }

    @TempDir
    Path dir;
    private Path log;
    private byte[] committed;

    private RvmOptions options() {
        return RvmOptions.builder(dir).logSize(RvmOptions.MIN_LOG_SIZE).createIfMissing(false).build();
    }

    @BeforeEach
    void threeCommits() {
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(dir).logSize(RvmOptions.MIN_LOG_SIZE)
                .build())) {
            rvm.createSegment("seg", 4096);
            Region r = rvm.map("seg", 0, 4096);
            for (int i = 0; i < 3; i++) {
                try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                    t.setRange(r, i * 100L, 100);
                    r.put(i * 100L, TornTailTest.pattern(i, 100), 0, 100);
                    t.commit(CommitMode.FLUSH);
                }
            }
            committed = TornTailTest.contents(r);
            // The last status write is now a head advance; the older copy still names the old head, whose records
            // truncation may not overwrite before the new head is durable.
            rvm.truncate();
        }
        log = dir.resolve(RvmOptions.LOG_FILE_NAME);
    }

    private void refusedWith(ErrorCode code) {
        RvmException e = assertThrows(RvmException.class, () -> RecoverableMemory.open(options()).close());
        assertEquals(code, e.code(), e.getMessage());
    }

    private void opensWithEverythingCommitted() {
        try (RecoverableMemory rvm = RecoverableMemory.open(options())) {
            assertArrayEquals(committed, TornTailTest.contents(rvm.map("seg", 0, 4096)));
        }
    }

    private void write(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(bytes);
        }
    }

    private void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** Index (0 = A, 1 = B) of the status copy with the higher sequence: the one written last. */
    private int newestCopy() throws IOException {
        byte[] all = Files.readAllBytes(log);
        long a = LogFormat.getLong(all, 16);
        long b = LogFormat.getLong(all, LogFormat.STATUS_SIZE + 16);
        return a > b ? 0 : 1;
    }

    /** Tears a status copy: its first sectors kept, the rest zeros (a write that stopped at a sector boundary). */
    private void tearStatusCopy(int copy) throws IOException {
        write(log, copy * (long) LogFormat.STATUS_SIZE + 1024, new byte[LogFormat.STATUS_SIZE - 1024]);
    }

    @Test
    void allJunkLogIsNotAStoreFile() throws IOException {
        byte[] junk = new byte[(int) Files.size(log)];
        new Random(1).nextBytes(junk);
        Files.write(log, junk);
        refusedWith(ErrorCode.NOT_A_STORE_FILE);
    }

    @Test
    void emptyLogIsNotAStoreFile() throws IOException {
        truncate(log, 0);
        refusedWith(ErrorCode.NOT_A_STORE_FILE);
    }

    @Test
    void logShorterThanTheStatusBlocksIsNotAStoreFile() throws IOException {
        truncate(log, LogFormat.STATUS_SIZE + 100);
        refusedWith(ErrorCode.NOT_A_STORE_FILE);
    }

    @Test
    void headerOnlyLogIsStatusCorrupt() throws IOException {
        truncate(log, LogFormat.RECORD_AREA);
        refusedWith(ErrorCode.STATUS_CORRUPT);
    }

    @Test
    void logTruncatedInsideTheRecordAreaIsStatusCorrupt() throws IOException {
        truncate(log, LogFormat.RECORD_AREA + 1000);
        refusedWith(ErrorCode.STATUS_CORRUPT);
    }

    @Test
    void bothStatusCopiesTornIsStatusCorrupt() throws IOException {
        tearStatusCopy(0);
        tearStatusCopy(1);
        refusedWith(ErrorCode.STATUS_CORRUPT);
    }

    @Test
    void newestStatusCopyTornOpensFromTheOlderWithEverythingCommitted() throws IOException {
        tearStatusCopy(newestCopy());
        opensWithEverythingCommitted();
    }

    @Test
    void olderStatusCopyTornOpensWithEverythingCommitted() throws IOException {
        tearStatusCopy(1 - newestCopy());
        opensWithEverythingCommitted();
    }

    @Test
    void wrongMagicIsNotAStoreFile() throws IOException {
        write(log, 0, "JUNK".getBytes(StandardCharsets.US_ASCII));
        write(log, LogFormat.STATUS_SIZE, "JUNK".getBytes(StandardCharsets.US_ASCII));
        refusedWith(ErrorCode.NOT_A_STORE_FILE);
    }

    @Test
    void wrongVersionIsUnsupportedVersion() throws IOException {
        byte[] all = Files.readAllBytes(log);
        for (int copy = 0; copy < 2; copy++) {
            int at = copy * LogFormat.STATUS_SIZE;
            all[at + 4] = 99; // version 99, with a correct CRC: a newer format, not damage
            all[at + 5] = 0;
            LogFormat.putInt(all, at + LogFormat.STATUS_SIZE - 4, LogFormat.crc(all, at, at + LogFormat.STATUS_SIZE - 4));
        }
        Files.write(log, all);
        refusedWith(ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void junkAfterTheLastRecordIsATornTailNotCorruption() throws IOException {
        try (RecoverableMemory rvm = RecoverableMemory.open(options())) {
            Region r = rvm.map("seg", 0, 4096);
            try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                t.setRange(r, 1000, 100);
                r.put(1000, TornTailTest.pattern(7, 100), 0, 100);
                t.commit(CommitMode.FLUSH);
            }
            committed = TornTailTest.contents(r);
        }
        List<long[]> records = TornTailTest.records(FileStorage.instance(), log);
        long end = records.get(records.size() - 1)[1];
        long from = LogFormat.RECORD_AREA + end;
        byte[] junk = new byte[(int) (Files.size(log) - from)];
        new Random(2).nextBytes(junk);
        write(log, from, junk);
        opensWithEverythingCommitted();
    }

    @Test
    void missingLogWithoutCreateIsNotAStoreFile() throws IOException {
        Files.delete(log);
        refusedWith(ErrorCode.NOT_A_STORE_FILE);
    }

    @Test
    void segmentWithWrongMagicIsNotAStoreFile() throws IOException {
        write(dir.resolve("segments").resolve("seg.seg"), 0, new byte[] {'J', 'U', 'N', 'K'});
        refusedWith(ErrorCode.NOT_A_STORE_FILE);
    }

    @Test
    void segmentWithDamagedHeaderIsSegmentCorrupt() throws IOException {
        // A byte of the store id, inverted: writing a fixed value would leave it unchanged 1 time in 256 (ids are random).
        Path seg = dir.resolve("segments").resolve("seg.seg");
        write(seg, 9, new byte[] {(byte) ~Files.readAllBytes(seg)[9]});
        refusedWith(ErrorCode.SEGMENT_CORRUPT);
    }
}
