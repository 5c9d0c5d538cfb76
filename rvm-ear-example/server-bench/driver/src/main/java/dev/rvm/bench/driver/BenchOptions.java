package dev.rvm.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The driver's options, each {@code --key=value}; the profile passes all of them from {@code rvm.bench.*}
 * properties. Immutable.
 *
 * @param wildfly the unpacked WildFly
 * @param archives where {@code rvm-ra.rar}, {@code postgresql.jar} and {@code rvm-bench.war} are
 * @param postgres where the PostgreSQL binaries jar was unpacked (the server is made below it)
 * @param portOffset WildFly's port offset
 * @param pgPort PostgreSQL's port
 * @param clients client thread counts, in the order run
 * @param cases case labels ({@code none}, {@code rvm}, {@code rvm-lazy}, {@code rvm+audit}, {@code db},
 *        {@code db+audit}, {@code noop+audit}; and the two-server cases {@code rvm-remote}, {@code remote-none})
 * @param dbs databases ({@code h2}, {@code pg})
 * @param warmupSeconds warm-up of every run
 * @param seconds measured time of every run
 * @param accounts accounts the transfers pick from
 * @param globalWarmupSeconds before the first measured run, how long every case runs at 16 clients unmeasured
 *        (a fresh server's JIT compilers are busy for the first minute)
 * @param txJournal whether the transaction manager logs to its journal store (grouped forces) instead of the
 *        default file-per-transaction store
 * @param jfr whether the server runs with a flight recording (profile settings), dumped when it stops
 * @param out where the table is written
 * @param profile {@code cpu} or {@code wall}: async-profiler runs in the server during the measured window of each
 *        of {@code profileCases} at 16 clients; empty: no profiling
 * @param profileCases the cases profiled (default {@code rvm})
 * @param profiler {@code libasyncProfiler.so} (required with {@code profile})
 * @param peerPortOffset the port offset of server B in the two-server mode ({@link #twoServers()})
 * @param twoServersCli the script that wires the two servers ({@code rvm-ear-example/ear/src/main/wildfly/
 *        two-servers.cli}); required in the two-server mode
 */
record BenchOptions(Path wildfly, Path archives, Path postgres, int portOffset, int pgPort, List<Integer> clients,
                    List<String> cases, List<String> dbs, int warmupSeconds, int seconds, int accounts, int globalWarmupSeconds,
                    boolean txJournal, boolean jfr,
                    Path out, String profile, List<String> profileCases, Path profiler, int peerPortOffset,
                    Path twoServersCli) {
    /** The cases run when none are named: all the single-server ones. */
    private static final String ALL_CASES = "none,rvm,rvm-lazy,rvm+audit,db,db+audit,noop+audit";
    /** The cases that call server B: naming one of them selects the two-server mode. */
    static final Set<String> REMOTE_CASES = Set.of("rvm-remote", "remote-none");
    private static final Set<String> CASES = union(Set.of(ALL_CASES.split(",")), REMOTE_CASES);
    private static final Set<String> DBS = Set.of("h2", "pg");

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the option and what is wrong with it
     */
    static BenchOptions parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("options are --key=value: " + a);
            }
            m.put(a.substring(2, eq), a.substring(eq + 1));
        }
        List<String> cases = names(m, "cases", ALL_CASES, CASES);
        List<String> dbs = names(m, "dbs", "h2,pg", DBS);
        if (dbs.isEmpty() && cases.stream().anyMatch(BenchOptions::usesDatabase)) {
            throw new IllegalArgumentException("--dbs is empty but --cases " + cases + " need a database");
        }
        List<Integer> clients = new ArrayList<>();
        for (String c : split(m.getOrDefault("clients", "1,4,16,64"))) {
            clients.add(positive("clients", c));
        }
        int portOffset = nonNegative("port-offset", m.getOrDefault("port-offset", "50000"));
        int peerPortOffset = nonNegative("peer-port-offset", m.getOrDefault("peer-port-offset", "50100"));
        boolean twoServers = cases.stream().anyMatch(REMOTE_CASES::contains);
        if (twoServers && peerPortOffset == portOffset) {
            throw new IllegalArgumentException("--peer-port-offset must differ from --port-offset: " + portOffset);
        }
        Path cli = Path.of(m.getOrDefault("two-servers-cli", ""));
        if (twoServers && cli.toString().isBlank()) {
            throw new IllegalArgumentException("--two-servers-cli is required by the cases " + REMOTE_CASES);
        }
        return new BenchOptions(path(m, "wildfly"), path(m, "archives"), path(m, "postgres"), portOffset,
                positive("pg-port", m.getOrDefault("pg-port", "55432")), List.copyOf(clients), cases, dbs,
                nonNegative("warmup", m.getOrDefault("warmup", "5")), positive("seconds", m.getOrDefault("seconds", "10")),
                positive("accounts", m.getOrDefault("accounts", "10000")),
                nonNegative("global-warmup", m.getOrDefault("global-warmup", "10")),
                Boolean.parseBoolean(m.getOrDefault("tx-journal", "false")),
                Boolean.parseBoolean(m.getOrDefault("jfr", "false")),
                Path.of(m.getOrDefault("out", "server-bench.txt")), profile(m), names(m, "profile-cases", "rvm", CASES),
                Path.of(m.getOrDefault("profiler", "libasyncProfiler.so")), peerPortOffset, cli);
    }

    /**
     * Whether the run needs server B: when a case that calls it ({@link #REMOTE_CASES}) is named. B is another copy
     * of the unpacked WildFly, wired to A as the two-server example is ({@link TwoServers}).
     */
    boolean twoServers() {
        return cases.stream().anyMatch(REMOTE_CASES::contains);
    }

    private static String profile(Map<String, String> m) {
        String p = m.getOrDefault("profile", "").trim();
        if (!p.isEmpty() && !p.equals("cpu") && !p.equals("wall")) {
            throw new IllegalArgumentException("--profile is cpu, wall or empty: " + p);
        }
        return p;
    }

    /** The databases case {@code c} runs on: every one for cases 2 to 4, one (which it ignores) for the others. */
    List<String> databasesFor(String c) {
        return usesDatabase(c) ? dbs : List.of(dbs.isEmpty() ? "h2" : dbs.get(0));
    }

    /**
     * Whether the case {@code label} touches a database (cases 2 to 4); {@code none}, {@code rvm}, {@code rvm-lazy}
     * and the two-server cases do not.
     */
    static boolean usesDatabase(String label) {
        return !label.equals("none") && !label.equals("rvm") && !label.equals("rvm-lazy")
                && !REMOTE_CASES.contains(label);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    private static List<String> names(Map<String, String> m, String key, String dflt, Set<String> allowed) {
        List<String> out = new ArrayList<>();
        for (String s : split(m.getOrDefault(key, dflt))) {
            String v = allowed.contains(s) ? s : s.replace('-', '+');
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("--" + key + ": unknown '" + s + "'; one of " + allowed);
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    private static Path path(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return Path.of(v);
    }

    private static int positive(String key, String v) {
        int n = nonNegative(key, v);
        if (n == 0) {
            throw new IllegalArgumentException("--" + key + " must be positive: " + v);
        }
        return n;
    }

    private static int nonNegative(String key, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new IllegalArgumentException("--" + key + " must not be negative: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " is not a number: " + v, e);
        }
    }
}
