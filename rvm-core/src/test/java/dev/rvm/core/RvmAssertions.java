package dev.rvm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Shared helpers of the API tests: asserting the exact {@link ErrorCode} of a refusal, and small stores. */
public final class RvmAssertions {
    private RvmAssertions() {
    }

    /** Asserts that {@code call} throws an {@link RvmException} with exactly {@code code}, and returns it. */
    public static RvmException assertRvm(ErrorCode code, Executable call) {
        RvmException e = assertThrows(RvmException.class, call);
        assertEquals(code, e.code(), () -> "wrong error code; message: " + e.getMessage());
        return e;
    }

    /** Options for a small store in {@code dir}: 1 MiB log, otherwise defaults. */
    public static RvmOptions.Builder small(Path dir) {
        return RvmOptions.builder(dir).logSize(1 << 20);
    }

    /** Creates segment {@code name} of {@code size} bytes in {@code rvm} and maps it whole. */
    public static Region newRegion(RecoverableMemory rvm, String name, int size) {
        rvm.createSegment(name, size);
        return rvm.map(name, 0, size);
    }

    /** Runs one RESTORE transaction that puts {@code value} at {@code offset} of {@code r}, and commits it. */
    public static void putLong(RecoverableMemory rvm, Region r, long offset, long value, CommitMode mode) {
        Transaction t = rvm.begin(RestoreMode.RESTORE);
        t.setRange(r, offset, 8);
        r.putLong(offset, value);
        t.commit(mode);
    }
}
