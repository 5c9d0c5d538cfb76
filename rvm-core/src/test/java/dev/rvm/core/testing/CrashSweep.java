package dev.rvm.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The loop of the tests that crash a deterministic workload at every operation index of a {@link SimulatedStorage}:
 * for each index, run the workload crashed there, reboot the storage with several seeds (each unforced write kept,
 * lost or torn) and let the test judge each reboot. Collects what the judge finds, stops after 30 problems, and
 * prints how many crash points and recoveries it ran. Stateless.
 */
public final class CrashSweep {
    private static final int MAX_FAILURES = 30;

    /** One run of a workload: crashed at an operation (then {@link #crash()} is its crash) or run to its end. */
    public interface Crashed {
        /** The storage the run used. */
        SimulatedStorage storage();

        /** The crash that ended the run, or null if it ran to its end. */
        SimulatedCrash crash();
    }

    /** Judges one reboot of a crashed run. */
    @FunctionalInterface
    public interface Judge<R extends Crashed> {
        /** What is wrong with the store recovered from {@code rebooted}; empty if nothing. */
        List<String> problems(R run, SimulatedStorage rebooted, int seed);
    }

    private CrashSweep() {
    }

    /**
     * Crashes {@code run} at every operation index in {@code [from, to)}, judges {@code seeds} reboots of each, and
     * fails the test with the first problems if any.
     */
    public static <R extends Crashed> void everyIndex(String name, long from, long to, int seeds, LongFunction<R> run,
            Judge<R> judge) {
        List<String> failures = new ArrayList<>();
        int recoveries = 0;
        for (long k = from; k < to && failures.size() <= MAX_FAILURES; k++) {
            R crashed = run.apply(k);
            if (crashed.crash() == null) {
                failures.add("k=" + k + ": the workload did not reach operation " + k + " (not deterministic?)");
                continue;
            }
            for (int seed = 0; seed < seeds; seed++) {
                recoveries++;
                String where = "crash at operation k=" + k + " [" + crashed.crash().getMessage() + "], reboot seed "
                        + seed + ": ";
                try {
                    for (String p : judge.problems(crashed, crashed.storage().reboot(seed), seed)) {
                        failures.add(where + p);
                    }
                } catch (RuntimeException | AssertionError e) {
                    failures.add(where + "recovery threw " + e);
                }
            }
        }
        System.out.printf("%s: %d crash points (operations %d..%d), %d recoveries%n", name, to - from, from, to - 1,
                recoveries);
        if (!failures.isEmpty()) {
            fail(failures.size() + " problem(s), first ones:\n  " + String.join("\n  ",
                    failures.subList(0, Math.min(MAX_FAILURES, failures.size()))));
        }
    }
}
