package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    /** A 10-second run of {@code tps} transfers per second, all at 1 ms, with {@code forces} forces in total. */
    private static LoadRun.Result run(String c, String db, int clients, int tps, long forces) {
        long[] lat = new long[tps * 10];
        java.util.Arrays.fill(lat, 1_000_000L);
        return new LoadRun.Result(c, db, clients, lat.length, 10.0, lat, 0, "", forces, CpuCounters.NONE);
    }

    /** As {@link #run} with {@code cpu} spent in the window. */
    private static LoadRun.Result run(String c, int clients, int tps, CpuCounters cpu) {
        long[] lat = new long[tps * 10];
        java.util.Arrays.fill(lat, 1_000_000L);
        return new LoadRun.Result(c, "-", clients, lat.length, 10.0, lat, 0, "", 0, cpu);
    }

    private static Report report() {
        return new Report(new CpuCounters.ClockTicks(100, false));
    }

    private static String line(List<String> lines, String start) {
        return lines.stream().filter(l -> l.trim().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + start + " in " + lines));
    }

    @Test
    void targetsAreReadAtSixteenClientsAsRatiosToTheDatabaseCases() {
        Report r = report();
        r.add(run("rvm", "-", 16, 3000, 6000));       // 0.2 forces per transaction
        r.add(run("db", "pg", 16, 1000, 0));          // rvm / db = 3.0: met
        r.add(run("rvm+audit", "pg", 16, 700, 14000)); // 2 forces per transaction
        r.add(run("db+audit", "pg", 16, 1000, 0));    // 0.7: not met
        r.add(run("rvm", "-", 4, 100, 0));            // another client count: not read
        List<String> lines = r.lines(List.of("pg"), List.of(4, 16), List.of("rvm", "rvm+audit", "db", "db+audit"));
        assertTrue(line(lines, "rvm / db on pg").endsWith(" MET"), lines.toString());
        assertTrue(line(lines, "RVM forces per transaction, case rvm ").contains("0.200"), lines.toString());
        assertTrue(line(lines, "RVM forces per transaction, case rvm ").endsWith(" MET"), lines.toString());
        assertTrue(line(lines, "RVM forces per transaction, case rvm+audit").endsWith("NOT MET"), lines.toString());
        assertTrue(line(lines, "rvm+audit / db+audit on pg").contains("0.700"), lines.toString());
        assertTrue(line(lines, "rvm+audit / db+audit on pg").endsWith("NOT MET"), lines.toString());
        assertTrue(line(lines, "noop+audit / db+audit on pg").contains("not measured"), lines.toString());
    }

    @Test
    void theCeilingOfCaseTwoIsReadFromTheIdleResourceCase() {
        Report r = report();
        r.add(run("noop+audit", "pg", 16, 550, 0));
        r.add(run("db+audit", "pg", 16, 1000, 0));
        List<String> lines = r.lines(List.of("pg"), List.of(16), List.of("db+audit", "noop+audit"));
        assertTrue(line(lines, "noop+audit / db+audit on pg").endsWith("0.550"), lines.toString());
    }

    @Test
    void aTargetWhoseCasesWereNotRunSaysSo() {
        Report r = report();
        r.add(run("rvm", "-", 4, 100, 0));
        List<String> lines = r.lines(List.of("h2"), List.of(4), List.of("rvm"));
        assertTrue(line(lines, "rvm / db on h2").contains("not measured"), lines.toString());
    }

    @Test
    void eachRowCarriesItsRatioToCaseThreeOfTheSameDatabaseAndClients() {
        Report r = report();
        LoadRun.Result rvm = run("rvm", "-", 4, 500, 0);
        r.add(rvm);
        r.add(run("db", "h2", 4, 2000, 0));
        r.add(run("db", "pg", 4, 250, 0));
        assertTrue(r.row(rvm, "h2").contains(" 0.25 "), r.row(rvm, "h2"));
        assertTrue(r.row(rvm, "pg").contains(" 2.00 "), r.row(rvm, "pg"));
    }

    @Test
    void theIssuesRatiosAreReadAgainstTheEmptyPathAndAcrossClientCounts() {
        Report r = report();
        r.add(run("none", "-", 16, 10_000, 0));
        r.add(run("rvm", "-", 16, 5_000, 0));      // 0.5 of none: met
        r.add(run("rvm-lazy", "-", 16, 7_000, 0)); // 0.7 of none: not met
        r.add(run("rvm", "-", 64, 4_500, 0));      // a drop from 16 to 64: not met
        List<String> lines = r.lines(List.of("pg"), List.of(16, 64), List.of("none", "rvm", "rvm-lazy"));
        assertTrue(line(lines, "rvm / none").contains("0.500"), lines.toString());
        assertTrue(line(lines, "rvm / none").endsWith(" MET"), lines.toString());
        assertTrue(line(lines, "rvm-lazy / none").contains("0.700"), lines.toString());
        assertTrue(line(lines, "rvm-lazy / none").endsWith("NOT MET"), lines.toString());
        assertTrue(line(lines, "rvm at 64 clients / rvm at 16").contains("0.900"), lines.toString());
        assertTrue(line(lines, "rvm at 64 clients / rvm at 16").endsWith("NOT MET"), lines.toString());
    }

    @Test
    void cpuAndSwitchesAreShownPerTransactionAndOverTheEmptyPath() {
        Report r = report();
        // 100,000 transfers in the window; 100 ticks per second
        LoadRun.Result none = run("none", 16, 10_000, new CpuCounters(1_000, 200_000, 500, 100_000));
        LoadRun.Result rvm = run("rvm", 16, 10_000, new CpuCounters(3_000, 700_000, 1_500, 400_000));
        r.add(none);
        r.add(rvm);
        // 3,000 ticks = 30 s over 100,000 transfers = 300 us; 1,500 ticks = 150 us; 7 and 4 switches
        String row = r.row(rvm, "pg");
        assertTrue(row.matches(".* 300\\.0 +150\\.0 +7\\.00 +4\\.00 +0$"), row);
        List<String> lines = r.lines(List.of("pg"), List.of(16), List.of("none", "rvm"));
        assertTrue(lines.stream().anyMatch(l -> l.trim().matches("rvm +200\\.0 +100\\.0 +5\\.00 +3\\.00")),
                lines.toString());
    }

    @Test
    void unknownCpuFiguresAreShownAsADash() {
        Report r = report();
        LoadRun.Result rvm = run("rvm", "-", 4, 100, 0);
        r.add(rvm);
        assertTrue(r.row(rvm, "pg").matches(".* - +- +- +- +0$"), r.row(rvm, "pg"));
    }
}
