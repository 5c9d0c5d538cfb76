package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.RvmException;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogFormat;
import dev.rvm.core.internal.log.StatusBlock;
import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Finding, locking and creating the files of a store: the lock file {@code rvm.lock} (held for the life of the
 * store, so a second open anywhere fails at once) and the log. Stateless.
 */
public final class StoreFiles {
    /** Name of the lock file in the store directory. */
    public static final String LOCK_FILE_NAME = "rvm.lock";

    /** The locked, opened log and its chosen status block. */
    record Opened(Closeable lock, LogFile log, StatusBlock status) {
        void closeQuietly() {
            try {
                log.close();
            } catch (IOException | RuntimeException ignored) {
                // closing after a failed open; the original failure is what matters
            }
            try {
                lock.close();
            } catch (IOException | RuntimeException ignored) {
                // as above
            }
        }
    }

    private StoreFiles() {
    }

    static Opened openLocked(RvmOptions o) {
        Storage storage = o.storage();
        Path dir = o.directory();
        Closeable lock = null;
        try {
            if (o.createIfMissing()) {
                storage.createDirectories(dir);
            }
            lock = lock(storage, dir, o.createIfMissing());
            Path logPath = o.logFile();
            if (!storage.exists(logPath)) {
                if (!o.createIfMissing()) {
                    throw new RvmException(ErrorCode.NOT_A_STORE_FILE, "no RVM log at " + logPath);
                }
                createLog(storage, logPath, o.logSize());
            }
            StorageFile f = storage.open(logPath);
            LogFile log = new LogFile(f, f.size());
            try {
                if (o.createIfMissing() && incompleteCreation(log)) {
                    writeInitialStatus(f, f.size(), 0);
                }
                StatusBlock st = readStatus(log, logPath);
                return new Opened(lock, log, st);
            } catch (RuntimeException | IOException e) {
                log.close();
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(lock);
            throw new RvmException(ErrorCode.IO_ERROR, "opening the store in " + dir + " failed: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /** Takes the store's lock, or fails with {@link ErrorCode#STORE_LOCKED}. */
    public static Closeable lock(Storage storage, Path dir, boolean create) throws IOException {
        Path lockPath = dir.resolve(LOCK_FILE_NAME);
        if (create && !storage.exists(lockPath)) {
            try {
                storage.create(lockPath, 0).close();
            } catch (FileAlreadyExistsException raced) {
                // another opener created it first; fine
            }
        }
        if (!storage.exists(lockPath)) {
            throw new RvmException(ErrorCode.NOT_A_STORE_FILE, "no RVM store in " + dir + " (no " + LOCK_FILE_NAME + ")");
        }
        Closeable lock = storage.tryLock(lockPath);
        if (lock == null) {
            throw new RvmException(ErrorCode.STORE_LOCKED, "the store in " + dir
                    + " is open in another process or already open in this JVM");
        }
        return lock;
    }

    /** Reads and chooses the status block, checking it against the file. */
    public static StatusBlock readStatus(LogFile log, Path where) throws IOException {
        if (log.logSize() < LogFormat.RECORD_AREA) {
            throw new RvmException(ErrorCode.NOT_A_STORE_FILE, where + " is too small (" + log.logSize()
                    + " bytes) to be an RVM log");
        }
        StatusBlock st = LogFile.chooseStatus(log.readStatusCopies(), where.toString());
        if (st.logSize() != log.logSize()) {
            throw new RvmException(ErrorCode.STATUS_CORRUPT, where + " is " + log.logSize()
                    + " bytes long but its status block says " + st.logSize());
        }
        return st;
    }

    /** Creates a new empty log of {@code size} bytes with a fresh store id, durably. */
    public static long createLog(Storage storage, Path logPath, long size) throws IOException {
        return createLog(storage, logPath, size, 0);
    }

    /**
     * Creates a new empty log of {@code size} bytes with store id {@code storeId} (0: a fresh random one), durably.
     * The members of a replicated store share one id.
     */
    public static long createLog(Storage storage, Path logPath, long size, long storeId) throws IOException {
        if (size < RvmOptions.MIN_LOG_SIZE) {
            throw new RvmException(ErrorCode.BAD_OPTION, "log size must be at least " + RvmOptions.MIN_LOG_SIZE
                    + " bytes, got " + size);
        }
        // Storage.create writes the whole file out as zeros: a sparse log would make the file system allocate blocks
        // as appends reach them, and each allocation turns a commit's force into a journal commit.
        try (StorageFile f = storage.create(logPath, size)) {
            // A crash before the status blocks are forced leaves an all-zero file, which open() recognises and
            // initialises.
            return writeInitialStatus(f, size, storeId);
        }
    }

    /** Writes both status copies of a new, empty log with {@code storeId} (0: a fresh one), forced; returns the id. */
    private static long writeInitialStatus(StorageFile f, long size, long storeId) throws IOException {
        SecureRandom random = new SecureRandom();
        while (storeId == 0) {
            storeId = random.nextLong();
        }
        StatusBlock a = new StatusBlock(storeId, 0, size, 0, 0, 0, 0, List.of());
        StatusBlock b = a.next(0, 0, List.of());
        // One copy at a time, each forced: a crash can tear at most the one being written.
        f.write(a.fileOffset(), ByteBuffer.wrap(a.encode()));
        f.force();
        f.write(b.fileOffset(), ByteBuffer.wrap(b.encode()));
        f.force();
        return storeId;
    }

    /**
     * True for a log left by a crash during its own creation: copy B of the status block was never written (all
     * zeros; creation writes it second and every later status write alternates), copy A is not valid (never written
     * or torn), and the first record slot is all zeros. A log that ever held a record has one at the start of its
     * record area (records are overwritten, never zeroed), so a damaged status area in front of records is not
     * mistaken for this: it stays an error.
     */
    private static boolean incompleteCreation(LogFile log) throws IOException {
        if (log.logSize() < RvmOptions.MIN_LOG_SIZE) {
            return false;
        }
        byte[] head = new byte[LogFormat.RECORD_AREA + 4096];
        log.storageFile().read(0, ByteBuffer.wrap(head));
        for (int i = LogFormat.STATUS_SIZE; i < head.length; i++) {
            if (head[i] != 0) {
                return false;
            }
        }
        return StatusBlock.check(Arrays.copyOf(head, LogFormat.STATUS_SIZE)) != StatusBlock.Verdict.OK;
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // best effort after a failed open
            }
        }
    }
}
