package dev.rvm.tools;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Statistics;
import dev.rvm.core.inspect.LogInspector;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code truncate}: applies the committed part of the log to the segments and frees its space (opening the store
 * recovers it first). Refused while a process holds the store. Run once by picocli.
 */
@Command(name = "truncate", mixinStandardHelpOptions = true,
        description = "Apply the log to the segments and free its space. Refused while a process holds the store.")
final class TruncateCommand extends StoreCommand {
    @Override
    public Integer call() {
        long usedBefore;
        try (LogInspector in = LogInspector.open(store)) {
            usedBefore = in.status().used();
        }
        Statistics s = Progress.spinning(common.progressEnabled(), err(), "truncating", () -> {
            try (RecoverableMemory rvm = openForChange("truncate")) {
                rvm.truncate();
                return rvm.statistics();
            }
        });
        out().printf(Locale.ROOT, "truncated %s: log use %d -> %d bytes (%d record(s) applied at open,"
                + " %d truncation(s))%n", store, usedBefore, s.logUsed(), s.lastRecoveryRecords(), s.truncations());
        if (s.inDoubt() > 0) {
            out().println(s.inDoubt() + " branch(es) in doubt keep their records in the log until resolved");
        }
        return ExitCodes.OK;
    }
}
