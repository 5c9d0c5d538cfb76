package dev.rvm.tools;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Statistics;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code recover}: opens the store with the engine, which replays the log onto the segments, and reports what was
 * applied. Refused while a process holds the store. Run once by picocli.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Run crash recovery: replay the log onto the segments and report what was applied."
                + " Refused while a process holds the store.")
final class RecoverCommand extends StoreCommand {
    @Override
    public Integer call() {
        Statistics s = Progress.spinning(common.progressEnabled(), err(), "recovering", () -> {
            try (RecoverableMemory rvm = openForChange("recover")) {
                return rvm.statistics();
            }
        });
        out().printf(Locale.ROOT, "recovered %s: replayed %d record(s), %d bytes of log, in %.1f ms%n", store,
                s.lastRecoveryRecords(), s.lastRecoveryBytes(), s.lastRecoveryNanos() / 1e6);
        out().printf(Locale.ROOT, "log use now %d of %d bytes; %d branch(es) in doubt%s%n", s.logUsed(),
                s.logCapacity(), s.inDoubt(), s.inDoubt() > 0 ? " (see 'rvm-tools in-doubt list')" : "");
        return ExitCodes.OK;
    }
}
