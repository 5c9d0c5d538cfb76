package dev.rvm.bench.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The table of a run and the targets read from it. Every ratio is between two cases measured in the same
 * run, on the same server and database, at the same number of clients. Each row has, beside throughput and
 * latency, RVM forces, CPU time (microseconds) and context switches per committed transfer, of the whole machine
 * (server, client, database and whatever else runs) and of the server process. Not thread-safe: filled and
 * printed by the main thread.
 */
final class Report {
    /** Throughput of case 1 over case 3 that the targets ask for, on each database. */
    static final double RVM_OVER_DB = 3.0;
    /** Least throughput of case 1 over case none (the empty request path). */
    static final double RVM_OVER_NONE = 0.5;
    /** Least throughput of case rvm-lazy over case none. */
    static final double LAZY_OVER_NONE = 0.8;
    /** Least throughput of case 1 at {@link #MOST_CLIENTS} over {@link #TARGET_CLIENTS}: no drop. */
    static final double SCALING = 1.0;
    /** The client count at which case 1 must not have dropped. */
    static final int MOST_CLIENTS = 64;
    /** Most RVM forces per transaction at 16 clients. */
    static final double FORCES_PER_TX = 0.3;
    /** Least throughput of case 2 over case 4. */
    static final double RVM_AUDIT_OVER_DB_AUDIT = 0.8;
    /** The client count the targets are read at. */
    static final int TARGET_CLIENTS = 16;

    private final CpuCounters.ClockTicks tick;
    private final List<LoadRun.Result> results = new ArrayList<>();

    /** @param tick the length of the clock tick CPU times are counted in */
    Report(CpuCounters.ClockTicks tick) {
        this.tick = tick;
    }

    void add(LoadRun.Result r) {
        results.add(r);
    }

    /** The header lines of the table. */
    static String header() {
        return String.format(Locale.ROOT, "%-10s %-3s %7s %9s %8s %8s %9s %8s %9s %9s %8s %8s %6s%n%-10s %-3s %7s %9s"
                + " %8s %8s %9s %8s %9s %9s %8s %8s %6s", "case", "db", "clients", "tx/s", "p50 ms", "p99 ms",
                "forces/tx", "x case 3", "CPU us/tx", "CPU us/tx", "cs/tx", "cs/tx", "errors", "", "", "", "", "", "",
                "", "", "machine", "server", "machine", "server", "");
    }

    /** One row: {@code r}, its ratio to case 3 of database {@code db} at the same clients (when measured). */
    String row(LoadRun.Result r, String db) {
        String ratio = find("db", db, r.clients()).map(base -> fmt(r.tps() / base.tps(), 2)).orElse("-");
        CpuCounters c = r.cpu();
        long n = r.transactions();
        return String.format(Locale.ROOT, "%-10s %-3s %7d %9.0f %8.2f %8.2f %9s %8s %9s %9s %8s %8s %6d",
                r.transferCase(), r.db(), r.clients(), r.tps(), r.latencyMillis(0.5), r.latencyMillis(0.99),
                fmt(r.forcesPerTx(), 3), ratio, fmt(CpuCounters.micros(c.machineTicks(), tick, n), 1),
                fmt(CpuCounters.micros(c.processTicks(), tick, n), 1),
                fmt(CpuCounters.perTransaction(c.machineSwitches(), n), 2),
                fmt(CpuCounters.perTransaction(c.processSwitches(), n), 2), r.errors());
    }

    /** The table, one section per database (cases 0 and 1, which use none, are shown in each), then the targets. */
    List<String> lines(List<String> dbs, List<Integer> clients, List<String> cases) {
        List<String> out = new ArrayList<>();
        for (String db : dbs) {
            out.add("");
            out.add("database " + db + ":");
            out.add(header());
            for (int c : clients) {
                for (String k : cases) {
                    find(k, BenchOptions.usesDatabase(k) ? db : "-", c).ifPresent(r -> out.add(row(r, db)));
                }
            }
        }
        out.add("CPU in microseconds of " + tick.describe() + "; machine: all of it (server, client, database and"
                + " anything else running), server: the WildFly process; cs: context switches");
        out.add("");
        out.add("targets (at " + TARGET_CLIENTS + " clients unless said, ratios within this run; reported, not"
                + " enforced):");
        out.add(target("rvm / none", ratio("rvm", "-", "none", "-"), RVM_OVER_NONE, true));
        for (String db : dbs) {
            out.add(target("rvm / db on " + db, ratio("rvm", "-", "db", db), RVM_OVER_DB, true));
        }
        Optional<LoadRun.Result> most = find("rvm", "-", MOST_CLIENTS);
        Optional<LoadRun.Result> at16 = find("rvm", "-", TARGET_CLIENTS);
        out.add(target("rvm at " + MOST_CLIENTS + " clients / rvm at " + TARGET_CLIENTS, most.isPresent()
                && at16.isPresent() ? Optional.of(most.get().tps() / at16.get().tps()) : Optional.empty(), SCALING,
                true));
        out.add(target("rvm-lazy / none", ratio("rvm-lazy", "-", "none", "-"), LAZY_OVER_NONE, true));
        Optional<LoadRun.Result> rvm = find("rvm", "-", TARGET_CLIENTS);
        out.add(target("RVM forces per transaction, case rvm", rvm.map(LoadRun.Result::forcesPerTx),
                FORCES_PER_TX, false));
        for (String db : dbs) {
            out.add(target("RVM forces per transaction, case rvm+audit on " + db,
                    find("rvm+audit", db, TARGET_CLIENTS).map(LoadRun.Result::forcesPerTx), FORCES_PER_TX, false));
            out.add(target("rvm+audit / db+audit on " + db, ratio("rvm+audit", db, "db+audit", db),
                    RVM_AUDIT_OVER_DB_AUDIT, true));
        }
        out.add("bounds (case none, the same request and transaction with no resource, is the most any case reaches;"
                + " noop+audit, case 2 with a resource that costs nothing in RVM's place, the most case 2 reaches):");
        for (String db : dbs) {
            String v = ratio("none", "-", "db", db).map(d -> fmt(d, 3)).orElse("not measured");
            out.add(String.format(Locale.ROOT, "  %-52s %12s", "none / db on " + db, v));
            String w = ratio("noop+audit", db, "db+audit", db).map(d -> fmt(d, 3)).orElse("not measured");
            out.add(String.format(Locale.ROOT, "  %-52s %12s", "noop+audit / db+audit on " + db, w));
        }
        out.addAll(overNone(dbs, cases));
        return out;
    }

    /** Per case at {@link #TARGET_CLIENTS} clients: what a transfer costs over case none, in CPU and switches. */
    private List<String> overNone(List<String> dbs, List<String> cases) {
        List<String> out = new ArrayList<>();
        Optional<LoadRun.Result> none = find("none", "-", TARGET_CLIENTS);
        if (none.isEmpty()) {
            return out;
        }
        out.add("per transfer over case none at " + TARGET_CLIENTS + " clients (CPU us machine / server,"
                + " context switches machine / server):");
        for (String k : cases) {
            for (String db : BenchOptions.usesDatabase(k) ? dbs : List.of("-")) {
                find(k, db, TARGET_CLIENTS).filter(r -> !k.equals("none")).ifPresent(r -> out.add(String.format(
                        Locale.ROOT, "  %-14s %9s %9s %8s %8s", k + (db.equals("-") ? "" : " " + db),
                        fmt(extra(r, none.get(), CpuCounters::machineTicks, true), 1),
                        fmt(extra(r, none.get(), CpuCounters::processTicks, true), 1),
                        fmt(extra(r, none.get(), CpuCounters::machineSwitches, false), 2),
                        fmt(extra(r, none.get(), CpuCounters::processSwitches, false), 2))));
            }
        }
        return out;
    }

    private double extra(LoadRun.Result r, LoadRun.Result none, ToLongFunction<CpuCounters> field, boolean ticks) {
        return ticks ? CpuCounters.micros(field.applyAsLong(r.cpu()), tick, r.transactions())
                - CpuCounters.micros(field.applyAsLong(none.cpu()), tick, none.transactions())
                : CpuCounters.perTransaction(field.applyAsLong(r.cpu()), r.transactions())
                - CpuCounters.perTransaction(field.applyAsLong(none.cpu()), none.transactions());
    }

    private Optional<Double> ratio(String a, String dbA, String b, String dbB) {
        Optional<LoadRun.Result> x = find(a, dbA, TARGET_CLIENTS);
        Optional<LoadRun.Result> y = find(b, dbB, TARGET_CLIENTS);
        return x.isPresent() && y.isPresent() ? Optional.of(x.get().tps() / y.get().tps()) : Optional.empty();
    }

    private static String target(String what, Optional<Double> value, double bound, boolean atLeast) {
        String v = value.map(d -> fmt(d, 3)).orElse("not measured");
        String verdict = value.map(d -> (atLeast ? d >= bound : d <= bound) ? "MET" : "NOT MET").orElse("-");
        return String.format(Locale.ROOT, "  %-52s %12s  (target %s %s)  %s", what, v, atLeast ? ">=" : "<=",
                fmt(bound, 2), verdict);
    }

    private Optional<LoadRun.Result> find(String transferCase, String db, int clients) {
        return results.stream().filter(r -> r.transferCase().equals(transferCase) && r.db().equals(db)
                && r.clients() == clients).findFirst();
    }

    private static String fmt(double d, int decimals) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }
}
