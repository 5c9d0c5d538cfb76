package dev.rvm.tools.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Command-line entry of the debit-credit benchmark: {@code java -cp ... dev.rvm.tools.bench.BenchMain
 * [--key=value ...]}. Options: {@code --dir}, {@code --shm-dir} ({@code none} skips), {@code --warmup},
 * {@code --measure}, {@code --floor} (seconds), {@code --accounts}, {@code --threads=1,4},
 * {@code --patterns=sequential,uniform,hot_80_20}, {@code --modes=flush,no_flush,two_phase},
 * {@code --log-mib}, {@code --recovery-log-mib} (0 skips), {@code --truncation-latency=true|false},
 * {@code --seed}, {@code --keep=true|false}, {@code --help}. Not thread-safe (a {@code main}).
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** Parses the options, runs the benchmark, prints progress then the table to standard output. */
    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        BenchResults results = DebitCreditBenchmark.run(options, System.out);
        System.out.println();
        DebitCreditBenchmark.printTable(results, System.out);
    }

    /** The options {@code args} describe, or {@code null} if help was asked for. */
    static BenchOptions parse(String[] args) {
        BenchOptions.Builder b = BenchOptions.builder();
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got '" + a + "'");
            }
            String key = a.substring(2, eq);
            String v = a.substring(eq + 1);
            switch (key) {
                case "dir":
                    b.dir(Path.of(v).toAbsolutePath());
                    break;
                case "shm-dir":
                    b.shmDir(v.equals("none") ? null : Path.of(v));
                    break;
                case "warmup":
                    b.warmupSeconds(Double.parseDouble(v));
                    break;
                case "measure":
                    b.measureSeconds(Double.parseDouble(v));
                    break;
                case "floor":
                    b.floorSeconds(Double.parseDouble(v));
                    break;
                case "accounts":
                    b.accounts(Integer.parseInt(v));
                    break;
                case "threads":
                    b.threads(list(v, Integer::valueOf));
                    break;
                case "patterns":
                    b.patterns(list(v, s -> AccessPattern.valueOf(s.toUpperCase(Locale.ROOT))));
                    break;
                case "modes":
                    b.styles(list(v, s -> CommitStyle.valueOf(s.toUpperCase(Locale.ROOT))));
                    break;
                case "log-mib":
                    b.logSize(Long.parseLong(v) << 20);
                    break;
                case "recovery-log-mib":
                    b.recoveryLogSize(Long.parseLong(v) << 20);
                    break;
                case "truncation-latency":
                    b.truncationLatency(Boolean.parseBoolean(v));
                    break;
                case "seed":
                    b.seed(Long.parseLong(v));
                    break;
                case "keep":
                    b.keep(Boolean.parseBoolean(v));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        return b.build();
    }

    private static <T> List<T> list(String csv, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(parse.apply(s.trim()));
            }
        }
        return out;
    }

    static String usage() {
        return "usage: BenchMain [--dir=PATH] [--shm-dir=PATH|none] [--warmup=S] [--measure=S] [--floor=S]\n"
                + "                 [--accounts=N] [--threads=1,4] [--patterns=sequential,uniform,hot_80_20]\n"
                + "                 [--modes=flush,no_flush,two_phase] [--log-mib=64] [--recovery-log-mib=256]\n"
                + "                 [--truncation-latency=true] [--seed=42] [--keep=false]\n"
                + "Default: the full run (about 2-3 minutes) in ./rvm-bench-data, deleted afterwards.";
    }
}
