package dev.rvm.tools;

import dev.rvm.core.BranchId;
import dev.rvm.core.CommitMode;
import dev.rvm.core.PrepareResult;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import dev.rvm.core.inspect.InspectedRecord;
import dev.rvm.core.inspect.LogInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;

/** Real stores made by the core, ways to damage them, and an in-process runner of the tool. */
final class Fixtures {
    static final long ACCOUNTS = 100;
    static final String SEGMENT = "accounts";
    static final BranchId BRANCH = BranchId.of("branch-1");

    private Fixtures() {
    }

    /** Output of one in-process run. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = RvmTool.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static RvmOptions options(Path dir) {
        return RvmOptions.builder(dir).logSize(1 << 20).build();
    }

    /** A store with one segment and {@code n} FLUSH commits; account i gets value {@code 1000 + i}. */
    static void storeWithCommits(Path dir, int n) {
        storeWithCommits(dir, n, null);
    }

    /**
     * As {@link #storeWithCommits(Path, int)}, then in the same session (so the log holds both) a branch writing
     * {@code inDoubt} to the last account, prepared and left in doubt; none if {@code inDoubt} is null.
     */
    static void storeWithCommits(Path dir, int n, Long inDoubt) {
        try (RecoverableMemory rvm = RecoverableMemory.open(options(dir))) {
            rvm.createSegment(SEGMENT, ACCOUNTS * 8);
            Region r = rvm.map(SEGMENT, 0, ACCOUNTS * 8);
            for (int i = 0; i < n; i++) {
                try (Transaction t = rvm.begin(RestoreMode.RESTORE)) {
                    t.setRange(r, i * 8L, 8);
                    r.putLong(i * 8L, 1000 + i);
                    t.commit(CommitMode.FLUSH);
                }
            }
            if (inDoubt != null) {
                prepare(r, rvm, inDoubt);
            }
        }
    }

    private static void prepare(Region r, RecoverableMemory rvm, long value) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, (ACCOUNTS - 1) * 8, 8);
        r.putLong((ACCOUNTS - 1) * 8, value);
        if (t.prepare(BRANCH) != PrepareResult.PREPARED) {
            throw new AssertionError("expected a prepared branch");
        }
    }

    /** Adds a branch that writes {@code value} to the last account, prepared and left in doubt at close. */
    static void addInDoubtBranch(Path dir, long value) {
        try (RecoverableMemory rvm = RecoverableMemory.open(options(dir))) {
            prepare(rvm.map(SEGMENT, 0, ACCOUNTS * 8), rvm, value);
        }
    }

    /** The value of account {@code i} as the store shows it now. */
    static long account(Path dir, int i) {
        try (RecoverableMemory rvm = RecoverableMemory.open(options(dir))) {
            return rvm.map(SEGMENT, 0, ACCOUNTS * 8).getLong(i * 8L);
        }
    }

    /** The records of the log as the inspection API sees them. */
    static List<InspectedRecord> records(Path dir) {
        try (LogInspector in = LogInspector.open(dir)) {
            List<InspectedRecord> all = new ArrayList<>();
            for (Iterator<InspectedRecord> it = in.records(Long.MIN_VALUE, false); it.hasNext(); ) {
                all.add(it.next());
            }
            return all;
        }
    }

    /** Flips one bit of the byte at {@code at} of the log file. */
    static void flipByte(Path dir, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("rvm.log").toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
    }

    /** Writes {@code n} zero bytes at {@code at} of the log file. */
    static void zero(Path dir, long at, int n) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("rvm.log").toFile(), "rw")) {
            f.seek(at);
            f.write(new byte[n]);
        }
    }

    /** Cuts the log file to {@code length} bytes. */
    static void cut(Path dir, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("rvm.log").toFile(), "rw")) {
            f.setLength(length);
        }
    }
}
