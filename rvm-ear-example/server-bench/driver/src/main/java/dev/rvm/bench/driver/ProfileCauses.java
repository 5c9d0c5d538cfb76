package dev.rvm.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CPU profile of the server ({@link ServerProfiler}'s collapsed stacks) summed by cause, so that what an RVM
 * transfer adds over the empty request path can be read per cause. Each stack goes to the first of these that
 * matches it:
 * <ol>
 *   <li>{@link #JVM}: threads of the JVM itself (JIT compilers, garbage collector, VM thread);</li>
 *   <li>{@link #LOG_IO}: RVM's log writes and forces ({@code pwrite}, {@code fdatasync}) on whatever thread;</li>
 *   <li>{@link #FORCE_WAITS}: parking, unparking and being switched in or out inside RVM's log writer (committers
 *       waiting for a force and waking each other);</li>
 *   <li>{@link #OTHER_WAITS}: the same anywhere else (worker pools, the HTTP I/O threads' {@code epoll});</li>
 *   <li>by the innermost frame of a known package: {@link #ENGINE} ({@code dev.rvm.core}), {@link #ADAPTER}
 *       ({@code dev.rvm.ra}), {@link #JCA} (IronJacamar, and Narayana's {@code enlistResource}/{@code delistResource}
 *       when called from it), {@link #NARAYANA} (the transaction's begin and commit);</li>
 *   <li>{@link #REQUEST}: the rest (Undertow, the servlet, the EJB container, and the JDK code they call).</li>
 * </ol>
 * Stateless, thread-safe.
 */
final class ProfileCauses {
    static final String JVM = "JVM: JIT compilers, GC, VM thread";
    static final String LOG_IO = "RVM log I/O: pwrite, fdatasync";
    static final String FORCE_WAITS = "parks/wake-ups/switches in RVM's log writer";
    static final String OTHER_WAITS = "parks/wake-ups/switches elsewhere, epoll";
    static final String ENGINE = "RVM engine (rvm-core), but the above";
    static final String ADAPTER = "RVM adapter (rvm-ra)";
    static final String JCA = "JCA: connections, enlistment (IronJacamar)";
    static final String NARAYANA = "Narayana: begin, one-phase or 2PC commit";
    static final String REQUEST = "HTTP, servlet, EJB, the rest";
    /** Every cause, in the order a summary lists them. */
    static final List<String> ALL = List.of(JVM, LOG_IO, FORCE_WAITS, OTHER_WAITS, ENGINE, ADAPTER, JCA, NARAYANA,
            REQUEST);

    private static final String[] JVM_FRAMES = {"CompileBroker::", "VMThread::", "GCTaskThread", "G1", "WorkerThread::",
        "ConcurrentGCThread::", "Monitor::wait", "WatcherThread::"};
    private static final String[] LOG_IO_FRAMES = {"LogFile.force", "LogFile.write", "FileStorage$Channel.force",
        "FileStorage$Channel.write"};
    private static final String[] WAIT_FRAMES = {"Unsafe.park", "Unsafe.unpark", "LockSupport.park",
        "LockSupport.unpark", "futex", "schedule_[k]", "finish_task_switch", "EPoll.wait", "epoll_wait", "Object.wait"};

    private ProfileCauses() {
    }

    /** The cause of one collapsed stack ({@code frame;frame;...}, the thread's first frame first). */
    static String cause(String stack) {
        String[] frames = stack.split(";");
        if (!stack.contains("java/") && !stack.contains("jdk/") && any(stack, JVM_FRAMES)) {
            return JVM;
        }
        if (any(stack, LOG_IO_FRAMES)) {
            return LOG_IO;
        }
        if (any(stack, WAIT_FRAMES)) {
            return stack.contains("dev/rvm/core/internal/log/LogWriter") ? FORCE_WAITS : OTHER_WAITS;
        }
        for (int i = frames.length - 1; i >= 0; i--) {
            String f = frames[i];
            if (f.startsWith("dev/rvm/core/")) {
                return ENGINE;
            } else if (f.startsWith("dev/rvm/ra/")) {
                return ADAPTER;
            } else if (f.startsWith("org/jboss/jca/") || f.startsWith("org/jboss/as/connector/")) {
                return JCA;
            } else if (f.startsWith("com/arjuna/") || f.startsWith("org/jboss/tm/")
                    || f.startsWith("org/jboss/jbossts/")) {
                return f.contains(".enlistResource") || f.contains(".delistResource") || calledFromJca(frames, i)
                        ? JCA : NARAYANA;
            }
        }
        return REQUEST;
    }

    /** Samples per cause in the collapsed stacks at {@code file} (every cause present, zero if none). */
    static Map<String, Long> sum(Path file) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        ALL.forEach(c -> out.put(c, 0L));
        for (String line : Files.readAllLines(file)) {
            int sp = line.lastIndexOf(' ');
            if (sp > 0) {
                out.merge(cause(line.substring(0, sp)), Long.parseLong(line.substring(sp + 1).trim()), Long::sum);
            }
        }
        return out;
    }

    /**
     * The summary of a profiled run {@code r} whose samples are {@code samples}: per cause its share of the samples
     * and that share of the server's CPU per transfer measured in the same window.
     */
    static List<String> lines(String what, Map<String, Long> samples, LoadRun.Result r, CpuCounters.ClockTicks tick) {
        long total = samples.values().stream().mapToLong(Long::longValue).sum();
        double perTx = CpuCounters.micros(r.cpu().processTicks(), tick, r.transactions());
        List<String> out = new ArrayList<>();
        out.add("profile of " + what + ": " + total + " samples, " + String.format(Locale.ROOT, "%.0f tx/s, server CPU"
                + " %.1f us per transfer; by cause: share of samples, us of server CPU per transfer", r.tps(), perTx));
        for (Map.Entry<String, Long> e : samples.entrySet()) {
            double share = total == 0 ? Double.NaN : (double) e.getValue() / total;
            out.add(String.format(Locale.ROOT, "  %-45s %6.1f %% %8.1f", e.getKey(), 100 * share, share * perTx));
        }
        return out;
    }

    /** Whether a frame below {@code i} (nearer the thread's start) is IronJacamar's: Narayana called by JCA. */
    private static boolean calledFromJca(String[] frames, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (frames[j].startsWith("org/jboss/jca/")) {
                return true;
            }
            if (frames[j].startsWith("dev/rvm/") || frames[j].startsWith("org/jboss/as/ejb3/")) {
                return false;
            }
        }
        return false;
    }

    private static boolean any(String stack, String[] parts) {
        for (String p : parts) {
            if (stack.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
