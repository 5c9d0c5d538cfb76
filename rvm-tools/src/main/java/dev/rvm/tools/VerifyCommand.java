package dev.rvm.tools;

import dev.rvm.core.inspect.LogInspector;
import dev.rvm.core.inspect.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify}: checks status block, segments and every record; reports the first problem with its position.
 * Never modifies anything. Run once by picocli.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the status block, the segment files and every record's CRC, framing and payload;"
                + " report the first problem with its position. Exit 0 if sound, 1 if only problems recovery repairs"
                + " (torn tail, torn status copy), 4 if damaged, with or without --json. Never modifies anything.")
final class VerifyCommand extends StoreCommand {
    @Option(names = "--all", description = "Report every problem found, not only the first.")
    boolean all;

    @Option(names = "--json", description = "Machine-readable output: every problem, with its kind and position.")
    boolean json;

    @Override
    public Integer call() {
        try (LogInspector in = inspect()) {
            VerifyReport r;
            try (Progress p = Progress.bar(common.progressEnabled(), err(), "verifying")) {
                r = in.verify(p::update);
            }
            if (json) {
                out().println(toJson(in, r));
                return exitCode(r);
            }
            String checked = "status block, " + r.segmentsChecked() + " segment(s), " + r.recordsChecked()
                    + " record(s) (" + r.bytesChecked() + " bytes)";
            if (r.ok()) {
                out().println("OK: " + checked + " checked; no problems");
                return ExitCodes.OK;
            }
            int shown = all ? r.problems().size() : 1;
            for (VerifyReport.Problem p : r.problems().subList(0, shown)) {
                out().println((p.kind().recoverable() ? "PROBLEM" : "DAMAGED") + ": " + p.kind() + " in " + p.position()
                        + ": " + p.message());
            }
            if (shown < r.problems().size()) {
                out().println("(" + (r.problems().size() - shown) + " more problem(s); use --all to list them)");
            }
            out().println("checked " + checked);
            return exitCode(r);
        }
    }

    private static int exitCode(VerifyReport r) {
        if (r.ok()) {
            return ExitCodes.OK;
        }
        return r.recoverable() ? ExitCodes.ATTENTION : ExitCodes.DAMAGED;
    }

    /** One document; {@code problems} lists all of them (a script wants the whole picture, not the first line). */
    private static String toJson(LogInspector in, VerifyReport r) {
        StringBuilder b = new StringBuilder("{\"store\":").append(Json.str(in.directory().toString()));
        b.append(",\"ok\":").append(r.ok()).append(",\"recoverable\":").append(r.recoverable());
        b.append(",\"segmentsChecked\":").append(r.segmentsChecked());
        b.append(",\"recordsChecked\":").append(r.recordsChecked());
        b.append(",\"bytesChecked\":").append(r.bytesChecked()).append(",\"problems\":[");
        for (int i = 0; i < r.problems().size(); i++) {
            VerifyReport.Problem p = r.problems().get(i);
            b.append(i == 0 ? "" : ",").append("{\"kind\":").append(Json.str(p.kind().name()));
            b.append(",\"recoverable\":").append(p.kind().recoverable());
            b.append(",\"file\":").append(Json.str(p.file())).append(",\"fileOffset\":").append(p.fileOffset());
            b.append(",\"lsn\":").append(p.lsn()).append(",\"message\":").append(Json.str(p.message())).append('}');
        }
        return b.append("]}").toString();
    }
}
