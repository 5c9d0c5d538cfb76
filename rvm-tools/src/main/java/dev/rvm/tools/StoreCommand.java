package dev.rvm.tools;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.inspect.LogInspector;
import dev.rvm.core.inspect.StoreLockState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every command on an existing store shares: the STORE argument, output streams, and the two ways in —
 * read-only inspection (allowed on a store a process holds, with a note) and opening for a change (refused on
 * such a store). Subclasses are filled by picocli and run once; not thread-safe.
 */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store directory (or its rvm.log).")
    Path store;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Opens the log read-only; says so on standard error if a running process holds the store. */
    LogInspector inspect() {
        LogInspector in = LogInspector.open(store);
        if (in.lockState() == StoreLockState.HELD) {
            err().println("note: the store in " + in.directory() + " is open in a running process;"
                    + " showing the log as it is on disk now, which may be changing");
        }
        return in;
    }

    /**
     * Opens the store with the engine, which runs recovery, for a command that changes it.
     *
     * @throws ToolException {@link ExitCodes#LOCKED} if a running process holds the store
     */
    RecoverableMemory openForChange(String what) {
        Path dir;
        try (LogInspector in = LogInspector.open(store)) {
            dir = in.directory();
            if (in.lockState() == StoreLockState.HELD) {
                throw new ToolException(ExitCodes.LOCKED, "refusing to " + what + ": the store in " + dir
                        + " is open in a running process; stop that process first");
            }
        }
        return RecoverableMemory.open(RvmOptions.builder(dir).createIfMissing(false).build());
    }
}
