package dev.rvm.core.inspect;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.internal.StoreFiles;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.log.StatusBlock;
import dev.rvm.core.internal.segment.SegmentFile;
import dev.rvm.core.internal.segment.SegmentNames;
import dev.rvm.core.io.FileStorage;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.DoubleConsumer;

/**
 * A read-only view of a store's log — what {@code rvmutl} gave the original RVM. Opens the log read-only, never
 * writes, and only probes the store's lock (see {@link #lockState()}), so it may look at a store a running process
 * holds. Not thread-safe: one thread uses an inspector, then closes it.
 *
 * <pre>{@code
 * try (LogInspector in = LogInspector.open(Path.of("/var/lib/app/store"))) {
 *     LogStatus s = in.status();
 *     for (Iterator<InspectedRecord> it = in.records(s.head(), false); it.hasNext(); ) { ... }
 *     VerifyReport v = in.verify(p -> { });
 * }
 * }</pre>
 */
public final class LogInspector implements AutoCloseable {
    private final Storage storage;
    private final Path directory;
    private final Path logPath;
    private final LogFile log;
    private final StatusBlock status;
    private final List<String> copyVerdicts;
    private final StoreLockState lockState;
    private final Map<Integer, LogStatus.SegmentEntry> segments = new LinkedHashMap<>();
    private final RecordDecoder decoder;
    private LogWalk walk;

    private LogInspector(Storage storage, Path directory, Path logPath, LogFile log, StatusBlock status,
            List<String> copyVerdicts, StoreLockState lockState) {
        this.storage = storage;
        this.directory = directory;
        this.logPath = logPath;
        this.log = log;
        this.status = status;
        this.copyVerdicts = copyVerdicts;
        this.lockState = lockState;
        for (StatusBlock.Segment s : status.segments()) {
            segments.put(s.id(), new LogStatus.SegmentEntry(s.id(), s.name(), s.size()));
        }
        this.decoder = new RecordDecoder(log, (int) status.storeId(), segments);
    }

    /** Opens the store in {@code storeDirOrLog} (a store directory, or its {@code rvm.log}) on real files. */
    public static LogInspector open(Path storeDirOrLog) {
        return open(storeDirOrLog, FileStorage.instance());
    }

    /**
     * Opens the store in {@code storeDirOrLog} (a store directory, or its log file) through {@code storage}.
     *
     * @throws RvmException {@link ErrorCode#NOT_A_STORE_FILE} if there is no log or it is not an RVM log,
     *     {@link ErrorCode#STATUS_CORRUPT} if no status copy is valid, {@link ErrorCode#UNSUPPORTED_VERSION},
     *     {@link ErrorCode#IO_ERROR}
     */
    public static LogInspector open(Path storeDirOrLog, Storage storage) {
        try {
            Path dir;
            Path logPath;
            if (storage.exists(storeDirOrLog)) {
                logPath = storeDirOrLog;
                dir = storeDirOrLog.toAbsolutePath().getParent();
            } else {
                dir = storeDirOrLog;
                logPath = dir.resolve(RvmOptions.LOG_FILE_NAME);
                if (!storage.exists(logPath)) {
                    Storage.Kind kind = storage.kind(dir);
                    throw new RvmException(ErrorCode.NOT_A_STORE_FILE,
                            kind == Storage.Kind.DIRECTORY || kind == Storage.Kind.SYMBOLIC_LINK
                            ? "no RVM log in " + dir + " (no " + RvmOptions.LOG_FILE_NAME + ")"
                            : "no such store directory or log file: " + dir);
                }
            }
            StoreLockState lockState = probeLock(storage, dir);
            StorageFile f = storage.openReadOnly(logPath);
            try {
                LogFile log = new LogFile(f, f.size());
                StatusBlock st = StoreFiles.readStatus(log, logPath);
                List<String> verdicts = new ArrayList<>();
                for (byte[] copy : log.readStatusCopies()) {
                    verdicts.add(StatusBlock.check(copy).name());
                }
                return new LogInspector(storage, dir, logPath, log, st, verdicts, lockState);
            } catch (IOException | RuntimeException e) {
                f.close();
                throw e;
            }
        } catch (IOException e) {
            throw new RvmException(ErrorCode.IO_ERROR, "reading " + storeDirOrLog + " failed: " + e, e);
        }
    }

    /** Takes the lock and at once lets it go: an inspection must not keep the store from being opened. */
    private static StoreLockState probeLock(Storage storage, Path dir) {
        try {
            Closeable held = StoreFiles.lock(storage, dir, false);
            held.close();
            return StoreLockState.FREE;
        } catch (RvmException e) {
            if (e.code() == ErrorCode.STORE_LOCKED) {
                return StoreLockState.HELD;
            }
            return e.code() == ErrorCode.NOT_A_STORE_FILE ? StoreLockState.NO_LOCK_FILE : StoreLockState.UNKNOWN;
        } catch (IOException e) {
            return StoreLockState.UNKNOWN;
        }
    }

    /** Whether a running process held the store when this inspector opened it. */
    public StoreLockState lockState() {
        return lockState;
    }

    /** The store directory. */
    public Path directory() {
        return directory;
    }

    /** The log file. */
    public Path logFile() {
        return logPath;
    }

    /** The status block with what a scan of the log adds. Scans the log once, on first use. */
    public LogStatus status() {
        LogWalk w = walk(p -> { });
        return new LogStatus(status.storeId(), status.sequence(), copyVerdicts, status.logSize(), status.capacity(),
                status.head(), w.tail, w.records, status.epoch(), status.lastRecoveryMillis(),
                status.lastRecoveryRecords(), List.copyOf(segments.values()), w.end, w.endDetail, w.inDoubt.size());
    }

    /** The branches prepared and without an outcome, in prepare order. */
    public List<InDoubtBranch> inDoubt() {
        return List.copyOf(walk(p -> { }).inDoubt.values());
    }

    /**
     * The records from the head of the log, skipping those before {@code fromLsn}; the last one returned may be the
     * invalid record that ends the chain. I/O failures surface as {@link RvmException} {@link ErrorCode#IO_ERROR}.
     *
     * @param withValues whether ranges carry their new values
     */
    public Iterator<InspectedRecord> records(long fromLsn, boolean withValues) {
        return new RecordIterator(fromLsn, withValues);
    }

    /**
     * Checks the status block, every segment file's header against the segment table, and every record from the
     * head: CRC, framing, payload, ranges inside their segments, outcomes paired with prepares, and whether an
     * invalid record is a torn tail or damage in the middle. Modifies nothing.
     *
     * @param progress receives the fraction of the record area scanned, 0..1
     */
    public VerifyReport verify(DoubleConsumer progress) {
        List<VerifyReport.Problem> problems = new ArrayList<>();
        String logName = logPath.toString();
        for (int i = 0; i < copyVerdicts.size(); i++) {
            if (!"OK".equals(copyVerdicts.get(i))) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.STATUS_COPY_INVALID, -1,
                        (long) i * LogFormat.STATUS_SIZE, logName, "status copy "
                        + (char) ('A' + i) + " is invalid (" + copyVerdicts.get(i) + "); the other copy is in use"
                        + " and the next open rewrites this one"));
            }
        }
        int checked = 0;
        for (LogStatus.SegmentEntry s : segments.values()) {
            checked++;
            Path p = directory.resolve("segments").resolve(s.name() + SegmentNames.SUFFIX);
            try {
                if (!storage.exists(p)) {
                    problems.add(new VerifyReport.Problem(VerifyReport.Kind.SEGMENT_MISSING, -1, -1, p.toString(),
                            "segment '" + s.name() + "' is listed in the log but its file is missing"));
                    continue;
                }
                try (SegmentFile f = SegmentFile.open(storage, p, s.name(), s.id(), status.storeId(), true)) {
                    if (f.size() != s.size()) {
                        problems.add(new VerifyReport.Problem(VerifyReport.Kind.SEGMENT_DAMAGED, -1, 0, p.toString(),
                                "segment '" + s.name() + "' header says " + f.size() + " bytes, the log says "
                                + s.size()));
                    }
                }
            } catch (RvmException e) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.SEGMENT_DAMAGED, -1, 0, p.toString(),
                        e.getMessage()));
            } catch (IOException e) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.SEGMENT_DAMAGED, -1, -1, p.toString(),
                        "cannot read segment '" + s.name() + "': " + e));
            }
        }
        LogWalk w = walk(progress);
        problems.addAll(w.problems);
        return new VerifyReport(problems, w.records, w.bytes, checked);
    }

    private LogWalk walk(DoubleConsumer progress) {
        if (walk == null) {
            try {
                walk = LogWalk.run(log, status, decoder, segments, logPath.toString(), progress);
            } catch (IOException e) {
                throw new RvmException(ErrorCode.IO_ERROR, "reading " + logPath + " failed: " + e, e);
            }
        } else {
            progress.accept(1.0);
        }
        return walk;
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new RvmException(ErrorCode.IO_ERROR, "closing " + logPath + " failed: " + e, e);
        }
    }

    /** Walks the chain lazily for {@link #records}. */
    private final class RecordIterator implements Iterator<InspectedRecord> {
        private final long from;
        private final boolean withValues;
        private final LogScanner scanner;
        private InspectedRecord next;
        private boolean done;

        RecordIterator(long from, boolean withValues) {
            this.from = from;
            this.withValues = withValues;
            this.scanner = new LogScanner(log, (int) status.storeId(), status.head(), status.head() + log.capacity(), 0);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = advance();
                done = next == null;
            }
            return next != null;
        }

        @Override
        public InspectedRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            InspectedRecord r = next;
            next = null;
            if (!r.valid() && r.crc() != InspectedRecord.CrcState.MALFORMED) {
                done = true; // an invalid record ends the chain
            }
            return r;
        }

        private InspectedRecord advance() {
            try {
                LogRecord r;
                while ((r = scanner.next()) != null) {
                    if (r.lsn() >= from) {
                        return decoder.decode(r, withValues);
                    }
                }
                long end = scanner.position();
                return end >= from ? decoder.startedRecordAt(end, status.head() + log.capacity(), scanner.endReason())
                        : null;
            } catch (IOException e) {
                throw new RvmException(ErrorCode.IO_ERROR, "reading " + logPath + " failed: " + e, e);
            }
        }
    }
}
