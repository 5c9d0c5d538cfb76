package dev.rvm.tools;

import dev.rvm.core.inspect.LogEnd;
import dev.rvm.core.inspect.LogInspector;
import dev.rvm.core.inspect.LogStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code status}: the status block and what a scan of the log adds; exit 0 when the store is clean, 1 when it
 * needs attention, 4 when damaged. Read-only. Run once by picocli.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show log size, head, tail, use, records, epoch, last recovery, segments and branches in doubt."
                + " Exit code 0 when clean, 1 when it needs attention, 4 when damaged. Read-only.")
final class StatusCommand extends StoreCommand {
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        try (LogInspector in = inspect()) {
            LogStatus s = in.status();
            if (json) {
                printJson(in, s);
            } else {
                printText(in, s);
            }
            return exitCode(s);
        }
    }

    static int exitCode(LogStatus s) {
        if (s.end() == LogEnd.DAMAGED) {
            return ExitCodes.DAMAGED;
        }
        return s.clean() ? ExitCodes.OK : ExitCodes.ATTENTION;
    }

    private void printText(LogInspector in, LogStatus s) {
        PrintWriter o = out();
        String f = "%-15s %s%n";
        o.printf(Locale.ROOT, f, "store", in.directory() + String.format(Locale.ROOT, " (id %016x)", s.storeId()));
        o.printf(Locale.ROOT, f, "lock", in.lockState().name().toLowerCase(Locale.ROOT));
        o.printf(Locale.ROOT, f, "log size", Sizes.human(s.logSize()) + " (" + s.logSize() + " bytes; record area "
                + s.capacity() + ")");
        o.printf(Locale.ROOT, f, "status copies", "A " + s.statusCopies().get(0) + ", B " + s.statusCopies().get(1)
                + " (sequence " + s.statusSequence() + ")");
        o.printf(Locale.ROOT, f, "head", "lsn " + s.head());
        o.printf(Locale.ROOT, f, "tail", "lsn " + s.tail());
        o.printf(Locale.ROOT, f, "use", String.format(Locale.ROOT, "%d bytes (%.2f%%)", s.used(), s.use() * 100));
        o.printf(Locale.ROOT, f, "records", s.recordCount());
        o.printf(Locale.ROOT, f, "epoch", s.epoch());
        o.printf(Locale.ROOT, f, "last recovery", s.lastRecoveryMillis() == 0 ? "never"
                : Instant.ofEpochMilli(s.lastRecoveryMillis()) + ", replayed " + s.lastRecoveryRecords() + " records");
        o.printf(Locale.ROOT, f, "segments", s.segments().size());
        for (LogStatus.SegmentEntry e : s.segments()) {
            o.printf(Locale.ROOT, "  %-13s id %d, %s (%d bytes)%n", e.name(), e.id(), Sizes.human(e.size()), e.size());
        }
        o.printf(Locale.ROOT, f, "in doubt", s.inDoubt() == 0 ? "0"
                : s.inDoubt() + " branch(es); see 'rvm-tools in-doubt list'");
        o.printf(Locale.ROOT, f, "log end", s.end() + (s.endDetail().isEmpty() ? "" : ": " + s.endDetail()));
        o.printf(Locale.ROOT, f, "state", state(s));
    }

    private static String state(LogStatus s) {
        if (s.end() == LogEnd.DAMAGED) {
            return "DAMAGED: recovery will refuse this log; run 'rvm-tools verify' for the position";
        }
        if (s.clean()) {
            return "clean";
        }
        StringBuilder b = new StringBuilder("needs attention:");
        if (s.end() == LogEnd.TORN_TAIL) {
            b.append(" torn tail (recovery discards it);");
        }
        if (s.inDoubt() > 0) {
            b.append(" branches in doubt;");
        }
        if (!s.statusCopies().stream().allMatch("OK"::equals)) {
            b.append(" a status copy is invalid (the next open rewrites it);");
        }
        return b.substring(0, b.length() - 1);
    }

    private void printJson(LogInspector in, LogStatus s) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"store\":").append(Json.str(in.directory().toString()));
        b.append(",\"storeId\":").append(Json.str(String.format(Locale.ROOT, "%016x", s.storeId())));
        b.append(",\"lock\":").append(Json.str(in.lockState().name()));
        b.append(",\"logSize\":").append(s.logSize()).append(",\"capacity\":").append(s.capacity());
        b.append(",\"statusSequence\":").append(s.statusSequence());
        b.append(",\"statusCopies\":[").append(Json.str(s.statusCopies().get(0))).append(',')
                .append(Json.str(s.statusCopies().get(1))).append(']');
        b.append(",\"head\":").append(s.head()).append(",\"tail\":").append(s.tail());
        b.append(",\"used\":").append(s.used()).append(",\"records\":").append(s.recordCount());
        b.append(",\"epoch\":").append(s.epoch());
        b.append(",\"lastRecoveryMillis\":").append(s.lastRecoveryMillis());
        b.append(",\"lastRecoveryRecords\":").append(s.lastRecoveryRecords());
        b.append(",\"segments\":[");
        for (int i = 0; i < s.segments().size(); i++) {
            LogStatus.SegmentEntry e = s.segments().get(i);
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(e.id()).append(",\"name\":").append(Json.str(e.name()))
                    .append(",\"size\":").append(e.size()).append('}');
        }
        b.append("],\"inDoubt\":").append(s.inDoubt());
        b.append(",\"end\":").append(Json.str(s.end().name())).append(",\"endDetail\":").append(Json.str(s.endDetail()));
        b.append(",\"clean\":").append(s.clean()).append('}');
        out().println(b);
    }
}
