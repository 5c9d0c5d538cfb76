package dev.rvm.replication;

import dev.rvm.core.CommitMode;
import dev.rvm.core.LatencyListener;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmOptions;
import dev.rvm.core.Transaction;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of the replication benchmark (only with {@code -Drvm.bench=true}; it asserts nothing): debit-credit
 * style {@code FLUSH} commits (two 8-byte ranges) at 1, 4 and 16 threads on a local store and on a three-member group
 * (members in this JVM, then each in its own JVM, on loopback, sharing this machine's disk), the same group on
 * jgroups-raft instead of Ratis ({@link JGroupsRaftGroup}, members in this JVM), 1-thread commit
 * latency, and the floor any majority-replicated commit pays here: a 64-byte record appended and forced by this
 * process and, after a loopback round trip, by a child process, acknowledged when both forces are done. Prints the
 * ratios, the commits per Raft entry and where a replicated commit spends its time.
 */
class ReplicationBench {
    private static final long SECONDS = Long.getLong("rvm.benchSeconds", 5);
    static final int ACCOUNTS = 100_000;

    @TempDir
    Path dir;

    @Test
    void run() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("rvm.bench"), "the benchmark runs with -Drvm.bench=true");
        StringBuilder report = new StringBuilder("\n== replication benchmark, " + SECONDS + " s per point ==\n");
        int[] threadCounts = {1, 4, 16};
        Point[] local = new Point[threadCounts.length];
        Point[] replicated = new Point[threadCounts.length];
        try (RecoverableMemory m = RecoverableMemory.open(RvmOptions.builder(dir.resolve("local")).logSize(64 << 20).build())) {
            m.createSegment("accounts", ACCOUNTS * 8L);
            Region r = m.map("accounts", 0, ACCOUNTS * 8L);
            for (int k = 0; k < threadCounts.length; k++) {
                local[k] = point(m, r, threadCounts[k]);
                report.append(local[k].format("local", threadCounts[k])).append('\n');
            }
        }
        Thread.sleep(3000); // let the local store's writes settle before the group starts
        try (Cluster c = new Cluster(dir.resolve("group"), 3, 64 << 20, b -> b)) {
            c.startAll();
            RecoverableMemory rvm = c.awaitActiveStore(Duration.ofSeconds(60));
            rvm.createSegment("accounts", ACCOUNTS * 8L);
            Region r = rvm.map("accounts", 0, ACCOUNTS * 8L);
            Replica leader = c.awaitLeader(Duration.ofSeconds(60));
            LongAdder forceNanos = new LongAdder();
            LongAdder forceCount = new LongAdder();
            rvm.addLatencyListener(new LatencyListener() {
                @Override
                public void completed(Operation operation, long nanos) {
                }

                @Override
                public void forced(long nanos) {
                    forceNanos.add(nanos);
                    forceCount.increment();
                }
            });
            for (int k = 0; k < threadCounts.length; k++) {
                long f0 = forceNanos.sum();
                long n0 = forceCount.sum();
                Replica.Status before = leader.status();
                long commitsBefore = rvm.statistics().commitsFlush();
                replicated[k] = point(rvm, r, threadCounts[k]);
                Replica.Status after = leader.status();
                long batches = after.batchesReplicated() - before.batchesReplicated();
                long commits = rvm.statistics().commitsFlush() - commitsBefore;
                report.append(replicated[k].format("replicated", threadCounts[k]))
                        .append(String.format("; %.1f commits per Raft entry, %.2f ms mean from submission to majority"
                                + " commit, %.2f ms mean local force after it", (double) commits / Math.max(1, batches),
                                (after.replicateNanos() - before.replicateNanos()) / 1e6 / Math.max(1, batches),
                                (forceNanos.sum() - f0) / 1e6 / Math.max(1, forceCount.sum() - n0)))
                        .append('\n');
            }
        }
        Point[] jgroups = new Point[threadCounts.length];
        Thread.sleep(3000);
        try (JGroupsRaftGroup g = new JGroupsRaftGroup(dir.resolve("jgroups"), 3, 64 << 20)) {
            RecoverableMemory rvm = g.awaitActiveStore(Duration.ofSeconds(60));
            rvm.createSegment("accounts", ACCOUNTS * 8L);
            Region r = rvm.map("accounts", 0, ACCOUNTS * 8L);
            for (int k = 0; k < threadCounts.length; k++) {
                long[] before = g.replicated();
                long commitsBefore = rvm.statistics().commitsFlush();
                jgroups[k] = point(rvm, r, threadCounts[k]);
                long[] after = g.replicated();
                long batches = after[0] - before[0];
                report.append(jgroups[k].format("jgroups-raft", threadCounts[k]))
                        .append(String.format("; %.1f commits per Raft entry, %.2f ms mean from submission to majority"
                                + " commit", (double) (rvm.statistics().commitsFlush() - commitsBefore)
                                / Math.max(1, batches), (after[1] - before[1]) / 1e6 / Math.max(1, batches)))
                        .append('\n');
            }
        }
        Point[] children = inChildJvms(report);
        double[] floor = floor();
        report.append(String.format("floor (a record appended and forced here and, after a loopback round trip, in a"
                + " child process; acknowledged when both are forced): %.0f records, p50 %6.2f ms, p99 %6.2f ms%n",
                floor[0], floor[1] / 1e6, floor[2] / 1e6));
        for (int k = 0; k < threadCounts.length; k++) {
            report.append(String.format("ratio replicated/local throughput at %2d threads: %.2f%n", threadCounts[k],
                    replicated[k].perSecond() / local[k].perSecond()));
        }
        report.append(String.format("ratio replicated 1-thread p50 / floor p50: %.2f%n", replicated[0].p50() / floor[1]));
        for (int k = 0; k < threadCounts.length; k++) {
            report.append(String.format("ratio jgroups-raft/local throughput at %2d threads: %.2f (jgroups-raft/Ratis"
                    + " %.2f)%n", threadCounts[k], jgroups[k].perSecond() / local[k].perSecond(),
                    jgroups[k].perSecond() / replicated[k].perSecond()));
        }
        report.append(String.format("ratio jgroups-raft 1-thread p50 / floor p50: %.2f%n", jgroups[0].p50() / floor[1]));
        for (int k = 0; k < threadCounts.length && children != null; k++) {
            report.append(String.format("ratio replicated (child JVMs)/local throughput at %2d threads: %.2f%n",
                    threadCounts[k], children[k].perSecond() / local[k].perSecond()));
        }
        if (children != null) {
            report.append(String.format("ratio replicated (child JVMs) 1-thread p50 / floor p50: %.2f%n",
                    children[0].p50() / floor[1]));
        }
        System.out.println(report);
    }

    /** One measured point: commits per second and latency percentiles in nanoseconds. */
    record Point(double perSecond, double p50, double p99) {
        String format(String what, int threads) {
            return String.format("%-10s %2d threads: %8.0f commits/s, p50 %6.2f ms, p99 %6.2f ms", what, threads,
                    perSecond, p50 / 1e6, p99 / 1e6);
        }
    }

    static Point point(RecoverableMemory rvm, Region r, int threads) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder commits = new LongAdder();
        List<long[]> lat = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            long[] samples = new long[200_000];
            lat.add(samples);
            int seed = k;
            Thread t = new Thread(() -> {
                Random random = new Random(seed);
                int n = 0;
                while (!stop.get()) {
                    int a = random.nextInt(ACCOUNTS);
                    int b = random.nextInt(ACCOUNTS);
                    if (a == b) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    Transaction tx = rvm.begin(RestoreMode.NO_RESTORE);
                    tx.setRange(r, a * 8L, 8);
                    tx.setRange(r, b * 8L, 8);
                    r.putLong(a * 8L, r.getLong(a * 8L) - 1);
                    r.putLong(b * 8L, r.getLong(b * 8L) + 1);
                    tx.commit(CommitMode.FLUSH);
                    if (n < samples.length) {
                        samples[n++] = System.nanoTime() - t0;
                    }
                    commits.increment();
                }
                samples[samples.length - 1] = n;
            });
            ts.add(t);
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep(SECONDS * 1000);
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] all = lat.stream().flatMapToLong(s -> Arrays.stream(s, 0, (int) Math.min(s[s.length - 1], s.length - 1)))
                .sorted().toArray();
        return new Point(commits.sum() / secs, all[all.length / 2], all[(int) (all.length * 0.99)]);
    }

    /**
     * The same points with the three members in three JVMs, the load in the leader's (as an application server
     * would run it); null if no leader reported within the limit.
     */
    private Point[] inChildJvms(StringBuilder report) throws Exception {
        Map<String, String> peers = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            peers.put("m" + i, "127.0.0.1:" + Cluster.freePort());
        }
        StringBuilder p = new StringBuilder();
        peers.forEach((k, v) -> p.append(p.length() == 0 ? "" : ",").append(k).append('=').append(v));
        UUID group = UUID.randomUUID();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Process> procs = new ArrayList<>();
        try {
            for (String id : peers.keySet()) {
                procs.add(new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                        BenchMemberChild.class.getName(), id, p.toString(), group.toString(),
                        dir.resolve("children").resolve(id).toString(), dir.resolve("result-" + id).toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + id + ".out").toFile()).start());
            }
            long deadline = System.nanoTime() + (120 + 3 * SECONDS + 30) * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (String id : peers.keySet()) {
                    Path f = dir.resolve("result-" + id);
                    if (Files.exists(f) && Files.readString(f).contains("DONE")) {
                        Point[] points = new Point[3];
                        int k = 0;
                        for (String line : Files.readAllLines(f)) {
                            if (line.startsWith("POINT ")) {
                                String[] w = line.split(" ");
                                points[k] = new Point(Double.parseDouble(w[2]), Double.parseDouble(w[3]),
                                        Double.parseDouble(w[4]));
                                long batches = Long.parseLong(w[5]);
                                report.append(points[k].format("replicated (child JVMs)", Integer.parseInt(w[1])))
                                        .append(String.format("; %.2f ms mean from submission to majority commit%n",
                                                Long.parseLong(w[6]) / 1e6 / Math.max(1, batches)));
                                k++;
                            }
                        }
                        return points;
                    }
                }
                Thread.sleep(200);
            }
            report.append("replicated (child JVMs): no leader reported within the limit\n");
            return null;
        } finally {
            for (Process c : procs) {
                c.destroyForcibly().waitFor();
            }
        }
    }

    /** Records, p50 and p99 (ns) of the two-process append+force floor. */
    private double[] floor() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ForceEchoChild.class.getName(), dir.resolve("remote.floor").toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                FileChannel f = FileChannel.open(dir.resolve("local.floor"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            int port = Integer.parseInt(out.readLine().trim());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setTcpNoDelay(true);
                DataOutputStream o = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] rec = new byte[64];
                long end = System.nanoTime() + SECONDS * 1_000_000_000L;
                long[] lat = new long[1_000_000];
                int n = 0;
                long pos = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    long t0 = System.nanoTime();
                    o.writeInt(rec.length);
                    o.write(rec);
                    o.flush();
                    long p = pos;
                    CompletableFuture<Void> mine = CompletableFuture.runAsync(() -> {
                        try {
                            f.write(ByteBuffer.wrap(rec), p);
                            f.force(false);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    if (in.read() != 1) {
                        throw new AssertionError("echo child failed");
                    }
                    mine.join();
                    pos += rec.length;
                    lat[n++] = System.nanoTime() - t0;
                }
                long[] sorted = Arrays.copyOf(lat, n);
                Arrays.sort(sorted);
                return new double[] {n, sorted[n / 2], sorted[(int) (n * 0.99)]};
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
