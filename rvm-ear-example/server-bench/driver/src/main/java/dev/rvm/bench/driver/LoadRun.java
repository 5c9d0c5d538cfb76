package dev.rvm.bench.driver;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One measured run: {@code clients} threads, each on its own kept-alive connection, send transfers between two
 * random accounts back to back (closed loop, no think time) for a warm-up and then for the measured time. Only
 * requests that start and end inside the measured window count; the RVM counters and the CPU and context-switch
 * counters of the machine and of the server process ({@link CpuCounters}) are read at both ends of it, and a
 * {@link Window} (a profiler) is told when it opens and closes. In the two-server mode server B's RVM counters and
 * process counters ({@link Peer}) are read at both ends too. Thread-safe as used: {@link #run} starts its threads
 * and joins them before returning.
 */
final class LoadRun {
    /** How long before the measured window {@link Window#opened} is called (within the warm-up). */
    private static final long WINDOW_LEAD = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * What the main thread does around the measured window: {@link #opened} up to half a second before it (so
     * that what it costs, e.g. attaching a profiler, is not counted), {@link #closed} after the counters are read
     * at its end. Called by the thread that called {@link #run}.
     */
    interface Window {
        /** Nothing at either end. */
        Window NONE = new Window() {
            @Override
            public void opened() {
            }

            @Override
            public void closed() {
            }
        };

        /** The window has opened. */
        void opened() throws IOException;

        /** The window is closing. */
        void closed() throws IOException;
    }

    /**
     * What one run measured. Immutable.
     *
     * @param transferCase the case's label
     * @param db the database label ({@code -} for case 1)
     * @param clients client threads
     * @param transactions transfers committed (answered 200) inside the window
     * @param seconds the window's length
     * @param latencies sorted latencies of those transfers, in nanoseconds
     * @param errors requests answered otherwise inside the window
     * @param firstError the first such answer, or empty
     * @param forces RVM log forces during the window
     * @param cpu the machine's and the server's CPU time and context switches during the window
     * @param peerForces RVM log forces of server B during the window, or -1 without a server B
     * @param peerCpu server B's CPU time and context switches during the window (process fields; -1 without B)
     */
    record Result(String transferCase, String db, int clients, long transactions, double seconds, long[] latencies,
                  long errors, String firstError, long forces, CpuCounters cpu, long peerForces,
                  CpuCounters peerCpu) {
        /** A run on one server: no server B. */
        Result(String transferCase, String db, int clients, long transactions, double seconds, long[] latencies,
               long errors, String firstError, long forces, CpuCounters cpu) {
            this(transferCase, db, clients, transactions, seconds, latencies, errors, firstError, forces, cpu, -1,
                    CpuCounters.NONE);
        }

        /** @return server B's RVM forces per committed transfer; NaN without a server B */
        double peerForcesPerTx() {
            return transactions == 0 || peerForces < 0 ? Double.NaN : (double) peerForces / transactions;
        }

        /** @return committed transfers per second */
        double tps() {
            return transactions / seconds;
        }

        /** @return RVM forces per committed transfer */
        double forcesPerTx() {
            return transactions == 0 ? Double.NaN : (double) forces / transactions;
        }

        /** @return the latency at quantile {@code q} (0..1), in milliseconds */
        double latencyMillis(double q) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    /**
     * Server B of the two-server mode, whose RVM counters and process counters are read at both ends of the window
     * beside A's. Immutable.
     *
     * @param port its HTTP port
     * @param pid its server JVM's process id, or -1
     */
    record Peer(int port, long pid) {
        /** No server B: a run on one server. */
        static final Peer NONE = new Peer(-1, -1);

        /** @return whether there is a server B */
        boolean present() {
            return port > 0;
        }
    }

    private LoadRun() {
    }

    /** {@link #run(String, int, long, String, String, int, int, long, long, Window, Peer)} on one server. */
    static Result run(String host, int port, long serverPid, String transferCase, String db, int clients,
                      int accounts, long warmupMillis, long measureMillis, Window window)
            throws IOException, InterruptedException {
        return run(host, port, serverPid, transferCase, db, clients, accounts, warmupMillis, measureMillis, window,
                Peer.NONE);
    }

    /**
     * Runs the load.
     *
     * @param host server host
     * @param port server HTTP port
     * @param serverPid the server's process id, whose CPU and context switches are read, or -1
     * @param transferCase case label as the report has it ({@code rvm}, {@code rvm-lazy}, {@code rvm+audit} ...)
     * @param db {@code h2} or {@code pg}
     * @param window told when the measured window opens and closes
     * @param peer server B, whose counters are read too, or {@link Peer#NONE}
     */
    static Result run(String host, int port, long serverPid, String transferCase, String db, int clients,
                      int accounts, long warmupMillis, long measureMillis, Window window, Peer peer)
            throws IOException, InterruptedException {
        long begin = System.nanoTime();
        long from = begin + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
        long to = from + TimeUnit.MILLISECONDS.toNanos(measureMillis);
        String prefix = Control.ROOT + "/transfer?case=" + URLEncoder.encode(transferCase, StandardCharsets.UTF_8)
                + "&db=" + db;
        Client[] cs = new Client[clients];
        Thread[] ts = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            cs[i] = new Client(host, port, prefix, accounts, from, to);
            ts[i] = new Thread(cs[i], "client-" + i);
            ts[i].start();
        }
        Map<String, Long> before;
        Map<String, Long> after;
        long peerForces = -1;
        CpuCounters cpu;
        CpuCounters peerCpu = CpuCounters.NONE;
        Path proc = Path.of("/proc");
        try (Control control = new Control(host, port);
             Control peerControl = peer.present() ? new Control(host, peer.port()) : null) {
            sleepUntil(from - WINDOW_LEAD);
            window.opened();
            sleepUntil(from);
            before = control.stats();
            Map<String, Long> peerBefore = peerControl == null ? Map.of() : peerControl.stats();
            CpuCounters start = CpuCounters.read(proc, serverPid);
            CpuCounters peerStart = peer.present() ? CpuCounters.read(proc, peer.pid()) : CpuCounters.NONE;
            sleepUntil(to);
            CpuCounters end = CpuCounters.read(proc, serverPid);
            CpuCounters peerEnd = peer.present() ? CpuCounters.read(proc, peer.pid()) : CpuCounters.NONE;
            after = control.stats();
            if (peerControl != null) {
                peerForces = peerControl.stats().get("forces") - peerBefore.get("forces");
            }
            window.closed();
            cpu = end.minus(start);
            peerCpu = peerEnd.minus(peerStart);
        } finally {
            for (Client c : cs) {
                c.stop = true;
            }
            for (Thread t : ts) {
                t.join(TimeUnit.MINUTES.toMillis(3));
            }
        }
        long n = 0;
        long errors = 0;
        String firstError = "";
        List<long[]> parts = new ArrayList<>();
        for (Client c : cs) {
            if (c.failure != null) {
                throw new IOException("client failed: " + c.failure, c.failure);
            }
            n += c.ok;
            errors += c.errors;
            if (firstError.isEmpty() && c.firstError != null) {
                firstError = c.firstError;
            }
            parts.add(Arrays.copyOf(c.latencies, c.ok));
        }
        long[] all = new long[(int) n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        String dbLabel = BenchOptions.usesDatabase(transferCase) ? db : "-";
        return new Result(transferCase, dbLabel, clients, n, measureMillis / 1000.0, all, errors, firstError,
                after.get("forces") - before.get("forces"), cpu, peerForces, peerCpu);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** One client thread's loop and what it saw. Its fields are read by the main thread after the join. */
    private static final class Client implements Runnable {
        private final HttpConnection http;
        private final String prefix;
        private final int accounts;
        private final long from;
        private final long to;
        volatile boolean stop;
        long[] latencies = new long[4096];
        int ok;
        long errors;
        String firstError;
        Exception failure;

        Client(String host, int port, String prefix, int accounts, long from, long to) {
            this.http = new HttpConnection(host, port);
            this.prefix = prefix;
            this.accounts = accounts;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            try (HttpConnection h = http) {
                while (!stop) {
                    int a = rnd.nextInt(accounts);
                    int b = rnd.nextInt(accounts - 1);
                    b = b >= a ? b + 1 : b;
                    long t0 = System.nanoTime();
                    HttpConnection.Response r = h.send("POST", prefix + "&from=" + a + "&to=" + b);
                    long t1 = System.nanoTime();
                    if (t0 < from || t1 > to) {
                        continue;
                    }
                    if (r.status() == 200) {
                        if (ok == latencies.length) {
                            latencies = Arrays.copyOf(latencies, ok * 2);
                        }
                        latencies[ok++] = t1 - t0;
                    } else {
                        errors++;
                        if (firstError == null) {
                            firstError = r.status() + " " + r.body().strip();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
    }
}
