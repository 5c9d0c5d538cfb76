package dev.rvm.bench.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and context switches of the whole machine and of one process (the server), read from Linux's
 * {@code /proc} at one instant; {@link #minus} of two readings is what a measured window cost.
 *
 * <ul>
 *   <li>machine CPU: the first line of {@code /proc/stat}, {@code user + nice + system + irq + softirq} (not
 *       {@code idle}, {@code iowait} or {@code steal}, the time the hypervisor gave to others), in clock ticks;</li>
 *   <li>machine context switches: {@code ctxt} of {@code /proc/stat};</li>
 *   <li>process CPU: {@code utime + stime} of {@code /proc/<pid>/stat} (fields 14 and 15), in clock ticks;</li>
 *   <li>process context switches: {@code voluntary_ctxt_switches + nonvoluntary_ctxt_switches} of the
 *       {@code status} file of every thread under {@code /proc/<pid>/task/}, kept per thread, so that a difference
 *       counts, for each thread alive at its end, the switches since the earlier reading (all of them for a thread
 *       started in between); the switches of a thread that ended in between are not counted (a lower bound).</li>
 * </ul>
 * Process fields are {@code -1} when there is no process to read. Immutable.
 *
 * @param machineTicks CPU time the machine spent busy, in clock ticks
 * @param machineSwitches context switches of the machine
 * @param processTicks CPU time of the process (user and system), in clock ticks, or -1
 * @param processSwitches context switches of the process's threads, or -1
 * @param threadSwitches the context switches of each thread of the process by thread id (empty in a difference)
 */
record CpuCounters(long machineTicks, long machineSwitches, long processTicks, long processSwitches,
                   Map<Long, Long> threadSwitches) {
    /** Nothing measured (before the first reading or without {@code /proc}). */
    static final CpuCounters NONE = new CpuCounters(-1, -1, -1, -1);

    /** Copies {@code threadSwitches}. */
    CpuCounters {
        threadSwitches = Map.copyOf(threadSwitches);
    }

    /** Counters without a per-thread breakdown (a difference, or a test's). */
    CpuCounters(long machineTicks, long machineSwitches, long processTicks, long processSwitches) {
        this(machineTicks, machineSwitches, processTicks, processSwitches, Map.of());
    }

    /**
     * The length of a clock tick.
     *
     * @param perSecond ticks per second ({@code CLK_TCK})
     * @param assumed true when {@code getconf CLK_TCK} could not be run and 100 is assumed
     */
    record ClockTicks(long perSecond, boolean assumed) {
        /** {@code getconf CLK_TCK}, or 100 (assumed) if that fails. */
        static ClockTicks probe() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                }
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return new ClockTicks(Long.parseLong(out), false);
                }
            } catch (IOException | NumberFormatException e) {
                // assumed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ClockTicks(100, true);
        }

        /** How a report states it. */
        String describe() {
            return "clock tick 1/" + perSecond + " s (" + (assumed ? "assumed: getconf CLK_TCK failed" : "getconf CLK_TCK")
                    + ")";
        }
    }

    /** Reads the machine's counters and those of process {@code pid} ({@code -1}: none) under {@code proc}. */
    static CpuCounters read(Path proc, long pid) {
        try {
            long[] machine = machine(Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII));
            long ticks = -1;
            long switches = -1;
            Map<Long, Long> threads = new HashMap<>();
            if (pid > 0) {
                Path dir = proc.resolve(Long.toString(pid));
                ticks = processTicks(Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII));
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
                    for (Path t : tasks) {
                        try {
                            threads.put(Long.parseLong(t.getFileName().toString()),
                                    switches(Files.readString(t.resolve("status"), StandardCharsets.UTF_8)));
                        } catch (IOException ended) {
                            // the thread ended while we listed them (no such file, or no such process)
                        }
                    }
                }
                switches = threads.values().stream().mapToLong(Long::longValue).sum();
            }
            return new CpuCounters(machine[0], machine[1], ticks, switches, threads);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /**
     * {@code this - earlier}: what happened between the two readings; unknown fields stay {@code -1}. The process's
     * switches are summed thread by thread when both readings have them (see the class comment).
     */
    CpuCounters minus(CpuCounters earlier) {
        long switches = diff(processSwitches, earlier.processSwitches);
        if (switches != -1 && !threadSwitches.isEmpty() && !earlier.threadSwitches.isEmpty()) {
            switches = 0;
            for (Map.Entry<Long, Long> t : threadSwitches.entrySet()) {
                switches += t.getValue() - earlier.threadSwitches.getOrDefault(t.getKey(), 0L);
            }
        }
        return new CpuCounters(diff(machineTicks, earlier.machineTicks), diff(machineSwitches, earlier.machineSwitches),
                diff(processTicks, earlier.processTicks), switches);
    }

    /** {@code ticks} per transaction in microseconds, or NaN when unknown. */
    static double micros(long ticks, ClockTicks tick, long transactions) {
        return ticks < 0 || transactions == 0 ? Double.NaN : ticks * 1e6 / tick.perSecond() / transactions;
    }

    /** {@code count} per transaction, or NaN when unknown. */
    static double perTransaction(long count, long transactions) {
        return count < 0 || transactions == 0 ? Double.NaN : (double) count / transactions;
    }

    /** Busy ticks and context switches from the text of {@code /proc/stat}. */
    static long[] machine(String stat) {
        long busy = -1;
        long ctxt = -1;
        for (String line : stat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu")) {
                // user nice system idle iowait irq softirq steal ...
                busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]);
            } else if (f[0].equals("ctxt")) {
                ctxt = Long.parseLong(f[1]);
            }
        }
        if (busy < 0 || ctxt < 0) {
            throw new IllegalArgumentException("no cpu or ctxt line in /proc/stat");
        }
        return new long[] {busy, ctxt};
    }

    /** {@code utime + stime} from the text of {@code /proc/<pid>/stat} (the command may contain spaces). */
    static long processTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so utime (field 14) is f[11] and stime (15) f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** {@code voluntary_ctxt_switches + nonvoluntary_ctxt_switches} from the text of a {@code status} file. */
    static long switches(String status) {
        long n = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return n;
    }

    private static long diff(long now, long then) {
        return now < 0 || then < 0 ? -1 : now - then;
    }
}
