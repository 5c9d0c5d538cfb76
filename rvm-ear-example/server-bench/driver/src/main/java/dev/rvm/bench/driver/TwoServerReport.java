package dev.rvm.bench.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The table of a two-server run: for each case and client count, throughput and latency as the client saw them at
 * server A, RVM forces per committed transfer on A and on B, CPU time per transfer of the machine and of each server
 * process; then the throughput ratios that say what the remote RVM costs, each between two cases measured in the
 * same run at the same number of clients: {@code rvm-remote / rvm} (the same RVM work split over two servers, against
 * all of it on A), {@code rvm-remote / remote-none} (the RVM branches against the remote call with nothing in it) and
 * {@code remote-none / none} (the remote call against no call). Not thread-safe: filled and printed by the main
 * thread.
 */
final class TwoServerReport {
    /** The ratios printed: numerator and denominator case. */
    private static final List<String[]> RATIOS = List.of(new String[] {"rvm-remote", "rvm"},
            new String[] {"rvm-remote", "remote-none"}, new String[] {"remote-none", "none"});

    private final CpuCounters.ClockTicks tick;
    private final List<LoadRun.Result> results = new ArrayList<>();

    /** @param tick the length of the clock tick CPU times are counted in */
    TwoServerReport(CpuCounters.ClockTicks tick) {
        this.tick = tick;
    }

    /** Adds a measured run. */
    void add(LoadRun.Result r) {
        results.add(r);
    }

    /** The header lines of the table. */
    static String header() {
        return String.format(Locale.ROOT, "%-13s %7s %9s %8s %8s %9s %9s %9s %9s %9s %6s%n%-13s %7s %9s %8s %8s %9s"
                + " %9s %9s %9s %9s %6s", "case", "clients", "tx/s", "p50 ms", "p99 ms", "forces/tx", "forces/tx",
                "CPU us/tx", "CPU us/tx", "CPU us/tx", "errors", "", "", "", "", "", "on A", "on B", "machine",
                "server A", "server B", "");
    }

    /** One row of the table; a case on a database is labelled {@code case/db}. */
    String row(LoadRun.Result r) {
        long n = r.transactions();
        String label = r.transferCase() + (r.db().equals("-") ? "" : "/" + r.db());
        return String.format(Locale.ROOT, "%-13s %7d %9.0f %8.2f %8.2f %9s %9s %9s %9s %9s %6d", label,
                r.clients(), r.tps(), r.latencyMillis(0.5), r.latencyMillis(0.99), fmt(r.forcesPerTx(), 3),
                fmt(r.peerForcesPerTx(), 3), fmt(CpuCounters.micros(r.cpu().machineTicks(), tick, n), 1),
                fmt(CpuCounters.micros(r.cpu().processTicks(), tick, n), 1),
                fmt(CpuCounters.micros(r.peerCpu().processTicks(), tick, n), 1), r.errors());
    }

    /** The table (by client count, the cases in the order run), then the ratios at each client count. */
    List<String> lines(List<Integer> clients) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("two servers (the client calls A; B is called by A):");
        out.add(header());
        for (int c : clients) {
            results.stream().filter(r -> r.clients() == c).forEach(r -> out.add(row(r)));
        }
        out.add("CPU in microseconds of " + tick.describe() + "; machine: all of it (both servers, client and anything"
                + " else running), server A / B: each WildFly process");
        out.add("");
        out.add("throughput ratios within this run, at the same clients:");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-7s", "clients"));
        for (String[] q : RATIOS) {
            head.append(String.format(Locale.ROOT, " %24s", q[0] + " / " + q[1]));
        }
        out.add(head.toString());
        for (int c : clients) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-7d", c));
            for (String[] q : RATIOS) {
                line.append(String.format(Locale.ROOT, " %24s", ratio(q[0], q[1], c).map(d -> fmt(d, 3))
                        .orElse("not measured")));
            }
            out.add(line.toString());
        }
        return out;
    }

    /** Throughput of case {@code a} over case {@code b} at {@code clients}, when both were measured. */
    Optional<Double> ratio(String a, String b, int clients) {
        Optional<LoadRun.Result> x = find(a, clients);
        Optional<LoadRun.Result> y = find(b, clients);
        return x.isPresent() && y.isPresent() ? Optional.of(x.get().tps() / y.get().tps()) : Optional.empty();
    }

    private Optional<LoadRun.Result> find(String transferCase, int clients) {
        return results.stream().filter(r -> r.transferCase().equals(transferCase) && r.db().equals("-")
                && r.clients() == clients).findFirst();
    }

    private static String fmt(double d, int decimals) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }
}
