package dev.rvm.tools;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Statistics;
import dev.rvm.core.inspect.InspectedRecord;
import dev.rvm.core.inspect.LogInspector;
import dev.rvm.core.inspect.LogStatus;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stats}: what the log holds, counted record by record (read-only, like {@code mdb_stat}); with
 * {@code --open}, the engine's own counters after opening the store. Run once by picocli.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Count what the log holds by record type, transactions, ranges and bytes per segment"
                + " (read-only). With --open, open the store (running recovery) and print the engine's statistics.")
final class StatsCommand extends StoreCommand {
    @Option(names = "--open", description = "Open the store with the engine and print its statistics"
            + " (refused while a process holds the store).")
    boolean open;

    @Option(names = "--json", description = "Machine-readable output: one document.")
    boolean json;

    @Override
    public Integer call() throws ReflectiveOperationException {
        if (open) {
            Statistics s;
            try (RecoverableMemory rvm = openForChange("open the store for statistics")) {
                s = rvm.statistics();
            }
            if (json) {
                StringBuilder b = new StringBuilder("{\"store\":").append(Json.str(store.toString()))
                        .append(",\"statistics\":{");
                for (RecordComponent c : Statistics.class.getRecordComponents()) {
                    b.append(Json.str(c.getName())).append(':').append(c.getAccessor().invoke(s)).append(',');
                }
                out().println(b.append("\"logUse\":").append(String.format(Locale.ROOT, "%.4f", s.logUse()))
                        .append("}}"));
                return ExitCodes.OK;
            }
            for (RecordComponent c : Statistics.class.getRecordComponents()) {
                out().printf(Locale.ROOT, "%-22s %s%n", c.getName(), c.getAccessor().invoke(s));
            }
            out().printf(Locale.ROOT, "%-22s %.2f%%%n", "logUse", s.logUse() * 100);
            return ExitCodes.OK;
        }
        try (LogInspector in = inspect()) {
            LogStatus st = in.status();
            Map<String, long[]> byType = new TreeMap<>();
            Map<String, long[]> bySegment = new TreeMap<>();
            long transactions = 0;
            long groups = 0;
            long relogged = 0;
            long invalid = 0;
            for (Iterator<InspectedRecord> it = in.records(Long.MIN_VALUE, false); it.hasNext(); ) {
                InspectedRecord r = it.next();
                if (!r.valid()) {
                    invalid++;
                    continue;
                }
                long[] t = byType.computeIfAbsent(r.typeName(), k -> new long[2]);
                t[0]++;
                t[1] += r.length();
                if (r.type() == 1) {
                    transactions += r.transactionCount();
                    groups += (r.flags() & 1) != 0 ? 1 : 0;
                }
                relogged += (r.flags() & 2) != 0 ? 1 : 0;
                for (InspectedRecord.Range g : r.ranges()) {
                    long[] s = bySegment.computeIfAbsent(g.segmentName(), k -> new long[2]);
                    s[0]++;
                    s[1] += g.length();
                }
            }
            if (json) {
                StringBuilder b = new StringBuilder("{\"log\":").append(Json.str(in.logFile().toString()));
                b.append(",\"records\":").append(st.recordCount()).append(",\"used\":").append(st.used())
                        .append(",\"capacity\":").append(st.capacity()).append(",\"types\":");
                appendCounts(b, byType, "type", "records", "bytes");
                b.append(",\"transactions\":").append(transactions).append(",\"groupRecords\":").append(groups);
                b.append(",\"preparesCopiedForward\":").append(relogged).append(",\"invalidAtEnd\":").append(invalid);
                b.append(",\"inDoubt\":").append(st.inDoubt()).append(",\"segments\":");
                appendCounts(b, bySegment, "segment", "ranges", "newBytes");
                out().println(b.append('}'));
                return ExitCodes.OK;
            }
            PrintWriter o = out();
            o.printf(Locale.ROOT, "log %s: %d record(s), %d of %d bytes in use (%.2f%%)%n", in.logFile(),
                    st.recordCount(), st.used(), st.capacity(), st.use() * 100);
            o.printf(Locale.ROOT, "%-20s %10s %14s%n", "RECORD TYPE", "RECORDS", "BYTES");
            byType.forEach((k, v) -> o.printf(Locale.ROOT, "%-20s %10d %14d%n", k, v[0], v[1]));
            o.printf(Locale.ROOT, "committed transactions %d; coalesced group records %d%n", transactions, groups);
            o.printf(Locale.ROOT, "prepares copied forward %d; invalid records at the end %d; in doubt %d%n",
                    relogged, invalid, st.inDoubt());
            o.printf(Locale.ROOT, "%-20s %10s %14s%n", "SEGMENT", "RANGES", "NEW BYTES");
            bySegment.forEach((k, v) -> o.printf(Locale.ROOT, "%-20s %10d %14d%n", k, v[0], v[1]));
            return ExitCodes.OK;
        }
    }

    /** {@code counts} as a JSON array of objects {@code {name: key, first: v[0], second: v[1]}}. */
    private static void appendCounts(StringBuilder b, Map<String, long[]> counts, String name, String first,
            String second) {
        b.append('[');
        String sep = "";
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            b.append(sep).append('{').append(Json.str(name)).append(':').append(Json.str(e.getKey())).append(',')
                    .append(Json.str(first)).append(':').append(e.getValue()[0]).append(',').append(Json.str(second))
                    .append(':').append(e.getValue()[1]).append('}');
            sep = ",";
        }
        b.append(']');
    }
}
