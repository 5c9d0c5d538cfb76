package dev.rvm.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The map benchmark of issue 16: get and put per second on the RVM {@code RecoverableHashMap} and on H2 MVStore's
 * {@code MVMap}, with 1 and 4 threads, durable ({@code FLUSH}: one forced commit per put) and lazy
 * ({@code NO_FLUSH}: forced every {@value #SYNC_EVERY} puts of a thread), measured in the same run on the same
 * directory, each case RVM then MVMap back to back; reported as ratios RVM / MVMap, with the bytes each keeps per
 * entry. Keys and values are longs; keys uniformly random over the populated entries, so every put replaces a value.
 *
 * <p>Run from the project root after {@code mvn -pl rvm-tools -am test-compile}: {@code java -cp
 * rvm-core/target/classes:rvm-tools/target/classes:rvm-tools/target/test-classes:H2_JAR
 * dev.rvm.tools.bench.MapBenchMain --entries=100000} (H2_JAR: the com.h2database:h2 jar of the root pom's version,
 * in the local Maven repository). Options ({@code --key=value}): {@code dir}, {@code entries}, {@code warmup},
 * {@code measure} (seconds), {@code threads} (comma list). Not thread-safe (a {@code main}).
 */
public final class MapBenchMain {
    static final int SYNC_EVERY = 1000;

    /** What one case does. */
    enum Op {
        PUT_FLUSH("put FLUSH"), PUT_NO_FLUSH("put NO_FLUSH"), GET("get"), GET_NO_TX("get, no tx");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private MapBenchMain() {
    }

    /** Options of one run. */
    record Options(Path dir, long entries, double warmup, double measure, List<Integer> threads) {
    }

    /** Parses {@code --key=value} options, runs, prints. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("rvm-bench-data", "map").toAbsolutePath();
        long entries = 100_000;
        double warmup = 1;
        double measure = 3;
        List<Integer> threads = List.of(1, 4);
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got '" + a + "'");
            }
            String v = a.substring(eq + 1);
            switch (a.substring(2, eq)) {
                case "dir" -> dir = Path.of(v).toAbsolutePath();
                case "entries" -> entries = Long.parseLong(v);
                case "warmup" -> warmup = Double.parseDouble(v);
                case "measure" -> measure = Double.parseDouble(v);
                case "threads" -> threads = Stream.of(v.split(",")).map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        run(new Options(dir, entries, warmup, measure, threads), System.out);
    }

    /** Runs every case and prints a line per case; returns the lines' figures (ops/s RVM, MVMap) per case. */
    static List<double[]> run(Options o, PrintStream out) throws InterruptedException {
        deleteTree(o.dir());
        try {
            Files.createDirectories(o.dir().resolve("rvm"));
            Files.createDirectories(o.dir().resolve("mvstore"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("machine: " + DebitCreditBenchmark.describeMachine(o.dir().resolve("rvm")));
        out.printf("map of %,d long -> long entries; warm-up %.1f s, measured %.1f s per case; NO_FLUSH forces every"
                + " %,d puts of a thread; RVM get = one transaction with a shared%n  bucket lock; 'get, no tx' = RVM's read without"
                + " transaction or lock (valid only without concurrent writers; MVMap: its get again)%n", o.entries(),
                o.warmup(), o.measure(), SYNC_EVERY);
        List<double[]> figures = new ArrayList<>();
        try (RvmMapTarget rvm = new RvmMapTarget(o.dir().resolve("rvm"), o.entries());
                MvStoreMapTarget mv = new MvStoreMapTarget(o.dir().resolve("mvstore"), o.entries())) {
            out.printf("memory per entry: RVM %.1f bytes (%s); MVMap %.1f bytes (%s)%n",
                    (double) rvm.bytesUsed() / o.entries(), rvm.bytesWhere(), (double) mv.bytesUsed() / o.entries(),
                    mv.bytesWhere());
            for (int t : o.threads()) {
                for (Op op : Op.values()) {
                    double a = rate(rvm, op, t, o);
                    double b = rate(mv, op, t, o);
                    figures.add(new double[] {a, b});
                    out.printf("%-13s %dT: RVM %,12.0f ops/s   MVMap %,12.0f ops/s   RVM/MVMap %6.2fx%n", op.label, t,
                            a, b, a / b);
                }
            }
            out.printf("RVM deadlocks refused and retried: %d%n", rvm.deadlocks());
        } finally {
            deleteTree(o.dir());
        }
        return figures;
    }

    /**
     * Operations per second of {@code threads} threads doing {@code op} on {@code target}. The measured window lasts
     * {@code measure} seconds and, on a machine too loaded to finish one operation in it, until the first operation
     * is counted (at most a minute): a rate is never 0 for want of scheduling.
     */
    private static double rate(MapTarget target, Op op, int threads, Options o) throws InterruptedException {
        long entries = o.entries();
        AtomicInteger phase = new AtomicInteger(); // a volatile read per operation: no lock shared by the threads
        AtomicBoolean counted = new AtomicBoolean(); // written once per thread and case
        long[] counts = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int me = i;
            Thread w = new Thread(() -> {
                Random rnd = new Random(17 + me);
                long n = 0;
                long sinceSync = 0;
                int p;
                while ((p = phase.get()) != 2) {
                    long key = rnd.nextLong(entries);
                    switch (op) {
                        case GET -> target.get(key);
                        case GET_NO_TX -> target.getWithoutTransaction(key);
                        case PUT_FLUSH -> target.put(key, rnd.nextLong(), true);
                        case PUT_NO_FLUSH -> {
                            target.put(key, rnd.nextLong(), false);
                            if (++sinceSync == SYNC_EVERY) {
                                target.sync();
                                sinceSync = 0;
                            }
                        }
                    }
                    if (p == 1 && ++n == 1) {
                        counted.set(true);
                    }
                }
                counts[me] = n;
            }, "map-bench-" + i);
            workers.add(w);
            w.start();
        }
        Thread.sleep((long) (o.warmup() * 1000));
        phase.set(1);
        long t0 = System.nanoTime();
        Thread.sleep((long) (o.measure() * 1000));
        long longest = t0 + 60_000_000_000L;
        while (!counted.get() && System.nanoTime() - longest < 0) {
            Thread.sleep(1);
        }
        phase.set(2);
        long t1 = System.nanoTime();
        long total = 0;
        for (Thread w : workers) {
            w.join();
        }
        for (long c : counts) {
            total += c;
        }
        return total / ((t1 - t0) / 1e9);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
