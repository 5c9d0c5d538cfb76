package dev.rvm.core.testing;

import dev.rvm.core.io.Storage;
import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * An in-memory {@link Storage} that models a machine losing power.
 *
 * <p>Each file has a <em>current</em> image (what reads see) and a <em>durable</em> image plus the list of writes
 * made since its last {@code force}. A file's existence is durable once {@link #create} returns, and a directory's
 * once {@link #createDirectories} returns, as both force the parent directory in {@code FileStorage}.
 *
 * <p>Faults, all held in the instance:
 * <ul>
 *   <li>{@link #crashAtOperation(long)}: every write, force and file creation gets an operation index, counted
 *       from 0 over the life of the instance. At the crash index the operation throws {@link SimulatedCrash} (a
 *       crashing write is recorded as unforced first: power may fail mid-write) and every later call throws it
 *       too, except {@code close}, which a dead process never gets to call and which is therefore a no-op.</li>
 *   <li>{@link #failForce(int)}: a chosen later force throws {@link IOException}; its writes stay unforced, since
 *       after a failed {@code fsync} the durable state is unknown.</li>
 *   <li>{@link #reboot(long)}: a new instance holding the durable images where each unforced write, in order,
 *       was by a seeded choice kept, lost, or torn: a prefix of its 512-byte sectors kept.</li>
 * </ul>
 *
 * <p>Thread-safe: one monitor guards everything (tests care about faults, not speed).
 */
public final class SimulatedStorage implements Storage {
    /** The unit of a torn write. */
    public static final int SECTOR = 512;

    private final Map<Path, SimFile> files = new HashMap<>();
    private final Set<Path> directories = new HashSet<>();
    private final Set<Path> locked = new HashSet<>();
    private long operations;
    private long crashAt = -1;
    private String crashedAt;
    private int forcesUntilFailure = -1;
    private int failedForces;
    private boolean lyingForces;

    /** An empty storage: no files, only the root directories of any path exist implicitly. */
    public SimulatedStorage() {
    }

    // ---- fault controls and inspection

    /** Crashes at the operation of that index (absolute, counted since this instance was made); -1 disarms. */
    public synchronized void crashAtOperation(long index) {
        this.crashAt = index;
    }

    /** Operations (writes, forces, creations) issued so far; the next one gets this index. */
    public synchronized long operations() {
        return operations;
    }

    /** True once the crash point was reached. */
    public synchronized boolean crashed() {
        return crashedAt != null;
    }

    /** Makes the force after {@code skip} further successful forces throw an {@link IOException} (once). */
    public synchronized void failForce(int skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip " + skip);
        }
        this.forcesUntilFailure = skip;
    }

    /** Makes the next force throw an {@link IOException} (once). */
    public void failNextForce() {
        failForce(0);
    }

    /** True while a force failure is armed and has not happened yet. */
    public synchronized boolean forceFailureArmed() {
        return forcesUntilFailure >= 0;
    }

    /**
     * Makes every later force succeed without making anything durable: a disk that lies about {@code fsync}.
     * Tests use it to prove that their checks notice lost acknowledged data.
     */
    public synchronized void lieAboutForces() {
        this.lyingForces = true;
    }

    /** Forces that failed on demand so far. */
    public synchronized int failedForces() {
        return failedForces;
    }

    /** The files that exist, sorted. */
    public synchronized Set<Path> files() {
        return new TreeSet<>(files.keySet());
    }

    /** A copy of what reads of {@code path} see now. */
    public synchronized byte[] bytes(Path path) throws NoSuchFileException {
        return file(path).data.clone();
    }

    /** A copy of the durable image of {@code path}. */
    public synchronized byte[] durableBytes(Path path) throws NoSuchFileException {
        return file(path).durable.clone();
    }

    /** Unforced writes pending on {@code path}. */
    public synchronized int unforcedWrites(Path path) throws NoSuchFileException {
        return file(path).pending.size();
    }

    /**
     * Replaces bytes of a file at rest, in both images (a tool or a bit flip editing the disk): not an operation,
     * not subject to faults.
     */
    public synchronized void overwrite(Path path, long position, byte[] bytes) throws NoSuchFileException {
        SimFile f = file(path);
        f.data = apply(f.data, position, bytes, 0, bytes.length);
        f.durable = apply(f.durable, position, bytes, 0, bytes.length);
    }

    /** Replaces the whole content of a file at rest (creating it and its directories if needed), durably. */
    public synchronized void putFile(Path path, byte[] content) {
        Path p = key(path);
        addDirectories(p.getParent());
        SimFile f = new SimFile(content.clone());
        files.put(p, f);
    }

    /**
     * The storage as found after power returns: durable images, plus each unforced write (in order) kept, lost
     * or torn at a sector boundary by a choice drawn from {@code seed}. Locks are not carried over.
     */
    public synchronized SimulatedStorage reboot(long seed) {
        Random random = new Random(seed);
        SimulatedStorage s = new SimulatedStorage();
        s.directories.addAll(directories);
        for (Map.Entry<Path, SimFile> e : files.entrySet()) {
            SimFile f = e.getValue();
            byte[] img = f.durable.clone();
            for (Write w : f.pending) {
                int fate = random.nextInt(3);
                if (fate == 0) {
                    img = apply(img, w.position, w.bytes, 0, w.bytes.length);
                } else if (fate == 2) {
                    int keep = tornPrefix(w, random);
                    if (keep > 0) {
                        img = apply(img, w.position, w.bytes, 0, keep);
                    }
                }
            }
            s.files.put(e.getKey(), new SimFile(img));
        }
        return s;
    }

    /** The storage after a clean shutdown: every write made so far durable. Locks are not carried over. */
    public synchronized SimulatedStorage snapshot() {
        SimulatedStorage s = new SimulatedStorage();
        s.directories.addAll(directories);
        for (Map.Entry<Path, SimFile> e : files.entrySet()) {
            s.files.put(e.getKey(), new SimFile(e.getValue().data.clone()));
        }
        return s;
    }

    /** Bytes of {@code w} kept when it tears: whole sectors, counted from the first sector boundary it spans. */
    private static int tornPrefix(Write w, Random random) {
        List<Integer> cuts = new ArrayList<>();
        long end = w.position + w.bytes.length;
        for (long b = (w.position / SECTOR + 1) * SECTOR; b < end; b += SECTOR) {
            cuts.add((int) (b - w.position));
        }
        return cuts.isEmpty() ? 0 : cuts.get(random.nextInt(cuts.size()));
    }

    // ---- Storage

    @Override
    public synchronized boolean exists(Path path) {
        alive();
        return files.containsKey(key(path));
    }

    @Override
    public synchronized Kind kind(Path path) {
        alive();
        Path p = key(path);
        return files.containsKey(p) ? Kind.FILE : directories.contains(p) ? Kind.DIRECTORY : Kind.NONE;
    }

    @Override
    public synchronized StorageFile create(Path path, long size) throws IOException {
        alive();
        Path p = key(path);
        if (files.containsKey(p) || directories.contains(p)) {
            throw new FileAlreadyExistsException(p.toString());
        }
        if (p.getParent() != null && !directories.contains(p.getParent()) && p.getParent().getParent() != null) {
            throw new NoSuchFileException(p.getParent().toString(), null, "no such directory");
        }
        operation("create " + p);
        SimFile f = new SimFile(new byte[Math.toIntExact(size)]);
        files.put(p, f);
        return new Handle(p, f, false);
    }

    @Override
    public synchronized StorageFile open(Path path) throws IOException {
        alive();
        Path p = key(path);
        return new Handle(p, file(p), false);
    }

    @Override
    public synchronized StorageFile openReadOnly(Path path) throws IOException {
        alive();
        Path p = key(path);
        return new Handle(p, file(p), true);
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        alive();
        Path p = key(dir);
        if (files.containsKey(p)) {
            throw new FileAlreadyExistsException(p.toString(), null, "a file, not a directory");
        }
        if (!directories.contains(p)) {
            operation("mkdir " + p);
            addDirectories(p);
        }
    }

    @Override
    public synchronized Closeable tryLock(Path lockFile) throws IOException {
        alive();
        Path p = key(lockFile);
        file(p);
        if (!locked.add(p)) {
            return null;
        }
        boolean[] released = {false};
        return () -> {
            synchronized (SimulatedStorage.this) {
                if (!released[0]) {
                    released[0] = true;
                    locked.remove(p);
                }
            }
        };
    }

    // ---- internals

    private void addDirectories(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            directories.add(d);
        }
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private SimFile file(Path path) throws NoSuchFileException {
        SimFile f = files.get(key(path));
        if (f == null) {
            throw new NoSuchFileException(key(path).toString());
        }
        return f;
    }

    private void alive() {
        if (crashedAt != null) {
            throw new SimulatedCrash("the simulated machine crashed at " + crashedAt + "; storage refuses all calls");
        }
    }

    /** Numbers an operation and crashes if it is the chosen one (after {@code beforeCrash} ran). */
    private void operation(String what) {
        alive();
        long index = operations++;
        if (index == crashAt) {
            crashedAt = "operation " + index + " (" + what + ")";
            throw new SimulatedCrash("simulated crash at " + crashedAt);
        }
    }

    private static byte[] apply(byte[] img, long position, byte[] src, int off, int len) {
        long end = position + len;
        byte[] out = end > img.length ? Arrays.copyOf(img, Math.toIntExact(end)) : img;
        System.arraycopy(src, off, out, (int) position, len);
        return out;
    }

    /** One unforced write. */
    private record Write(long position, byte[] bytes) {
    }

    /** A file's images. Guarded by the storage's monitor. */
    private static final class SimFile {
        byte[] data;
        byte[] durable;
        final List<Write> pending = new ArrayList<>();

        SimFile(byte[] content) {
            this.data = content;
            this.durable = content.clone();
        }
    }

    /** An open file. */
    private final class Handle implements StorageFile {
        private final Path path;
        private final SimFile f;
        private final boolean readOnly;
        private boolean closed;

        Handle(Path path, SimFile f, boolean readOnly) {
            this.path = path;
            this.f = f;
            this.readOnly = readOnly;
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedStorage.this) {
                usable();
                return f.data.length;
            }
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            synchronized (SimulatedStorage.this) {
                usable();
                int n = dst.remaining();
                if (position < 0 || position + n > f.data.length) {
                    throw new EOFException(path + ": read of " + n + " at " + position + " past the end ("
                            + f.data.length + ")");
                }
                dst.put(f.data, (int) position, n);
            }
        }

        @Override
        public void write(long position, ByteBuffer src) throws IOException {
            synchronized (SimulatedStorage.this) {
                usable();
                if (readOnly) {
                    throw new IOException(path + " is open read-only");
                }
                byte[] b = new byte[src.remaining()];
                src.get(b);
                Write w = new Write(position, b);
                try {
                    operation("write of " + b.length + " bytes at " + position + " of " + path);
                } catch (SimulatedCrash crash) {
                    f.pending.add(w); // power failed during the write: it may have partly reached the disk
                    throw crash;
                }
                f.data = apply(f.data, position, b, 0, b.length);
                f.pending.add(w);
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (SimulatedStorage.this) {
                usable();
                operation("force of " + path);
                if (forcesUntilFailure == 0) {
                    forcesUntilFailure = -1;
                    failedForces++;
                    throw new IOException("simulated force failure on " + path);
                }
                if (forcesUntilFailure > 0) {
                    forcesUntilFailure--;
                }
                if (lyingForces) {
                    return;
                }
                for (Write w : f.pending) {
                    f.durable = apply(f.durable, w.position, w.bytes, 0, w.bytes.length);
                }
                f.pending.clear();
            }
        }

        @Override
        public void close() {
            synchronized (SimulatedStorage.this) {
                closed = true;
            }
        }

        private void usable() throws IOException {
            alive();
            if (closed) {
                throw new IOException(path + " is closed");
            }
        }
    }
}
