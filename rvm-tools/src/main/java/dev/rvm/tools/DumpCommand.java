package dev.rvm.tools;

import dev.rvm.core.inspect.InspectedRecord;
import dev.rvm.core.inspect.LogInspector;
import dev.rvm.core.inspect.LogStatus;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dump}: lists the records of the log as a table or as JSON. Read-only. Run once by picocli. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "List the log's records from the head: LSN, type, epoch, length, flags, transactions or branch,"
                + " ranges (segment, offset, length) and CRC state. Read-only.")
final class DumpCommand extends StoreCommand {
    private static final HexFormat HEX = HexFormat.of();

    @Option(names = "--from", paramLabel = "LSN", description = "Start at the first record at or after this LSN.")
    long from = Long.MIN_VALUE;

    @Option(names = "--limit", paramLabel = "N", description = "List at most N records.")
    long limit = Long.MAX_VALUE;

    @Option(names = "--hex", description = "Also print each range's new value in hex.")
    boolean hex;

    @Option(names = "--json", description = "Machine-readable output: one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ToolException(ExitCodes.USAGE, "--limit must not be negative");
        }
        try (LogInspector in = inspect()) {
            LogStatus s = in.status();
            Iterator<InspectedRecord> it = in.records(from, hex);
            PrintWriter o = out();
            if (json) {
                o.print("{\"store\":" + Json.str(in.directory().toString()) + ",\"storeId\":"
                        + Json.str(String.format(Locale.ROOT, "%016x", s.storeId())) + ",\"head\":" + s.head()
                        + ",\"tail\":" + s.tail() + ",\"records\":[");
            } else {
                o.printf("%12s  %-17s %5s %8s  %-8s %-11s %s%n", "LSN", "TYPE", "EPOCH", "LENGTH", "FLAGS", "CRC",
                        "TXNS/BRANCH");
            }
            long n = 0;
            while (n < limit && it.hasNext()) {
                InspectedRecord r = it.next();
                if (json) {
                    o.print((n == 0 ? "" : ",") + json(r));
                } else {
                    text(o, r);
                }
                n++;
            }
            boolean more = it.hasNext();
            if (json) {
                o.println("],\"listed\":" + n + ",\"more\":" + more + ",\"end\":" + Json.str(s.end().name())
                        + ",\"endDetail\":" + Json.str(s.endDetail()) + "}");
            } else {
                o.println(n + " record(s) listed" + (more ? " (more follow; raise --limit)" : "") + "; log end: "
                        + s.end() + (s.endDetail().isEmpty() ? "" : " (" + s.endDetail() + ")"));
            }
            return ExitCodes.OK;
        }
    }

    static String flags(int flags) {
        if (flags == 0) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        if ((flags & 1) != 0) {
            b.append("GROUP,");
        }
        if ((flags & 2) != 0) {
            b.append("RELOGGED,");
        }
        if ((flags & ~3) != 0) {
            b.append("0x").append(Integer.toHexString(flags & ~3 & 0xFF)).append(',');
        }
        return b.substring(0, b.length() - 1);
    }

    private void text(PrintWriter o, InspectedRecord r) {
        String who = r.branchId() != null ? "branch " + r.branchId()
                + (r.referencedPrepareLsn() >= 0 ? " (prepare at lsn " + r.referencedPrepareLsn() + ")" : "")
                : r.valid() ? r.transactionCount() + " txn" : "";
        o.printf(Locale.ROOT, "%12d  %-17s %5d %8d  %-8s %-11s %s%n", r.lsn(), r.typeName(), r.epoch(), r.length(),
                flags(r.flags()), r.crc(), who);
        if (!r.problem().isEmpty()) {
            o.println("              ! " + r.problem());
        }
        for (InspectedRecord.Range g : r.ranges()) {
            o.printf(Locale.ROOT, "              range %s @%d +%d%n", g.segmentName(), g.offset(), g.length());
            if (g.value() != null) {
                for (int i = 0; i < g.value().length; i += 32) {
                    o.println("                " + HEX.formatHex(g.value(), i, Math.min(g.value().length, i + 32)));
                }
            }
        }
    }

    private static String json(InspectedRecord r) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"lsn\":").append(r.lsn()).append(",\"fileOffset\":").append(r.fileOffset());
        b.append(",\"type\":").append(Json.str(r.typeName())).append(",\"flags\":").append(Json.str(flags(r.flags())));
        b.append(",\"epoch\":").append(r.epoch()).append(",\"length\":").append(r.length());
        b.append(",\"transactions\":").append(r.transactionCount());
        b.append(",\"branch\":").append(Json.str(r.branchId() == null ? null : r.branchId().toString()));
        b.append(",\"prepareLsn\":").append(r.referencedPrepareLsn());
        b.append(",\"crc\":").append(Json.str(r.crc().name()));
        b.append(",\"problem\":").append(Json.str(r.problem().isEmpty() ? null : r.problem()));
        b.append(",\"ranges\":[");
        for (int i = 0; i < r.ranges().size(); i++) {
            InspectedRecord.Range g = r.ranges().get(i);
            b.append(i == 0 ? "" : ",").append("{\"segment\":").append(Json.str(g.segmentName()))
                    .append(",\"segmentId\":").append(g.segmentId()).append(",\"offset\":").append(g.offset())
                    .append(",\"length\":").append(g.length());
            if (g.value() != null) {
                b.append(",\"value\":").append(Json.str(HEX.formatHex(g.value())));
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }
}
