package dev.rvm.core.testing;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * An {@link Executor} that only queues: tasks run on the test's thread when it calls {@link #runAll()}. Plugged in
 * as the store's truncation executor, it makes background truncation happen at points the test chooses, so a
 * workload issues the same writes in the same order every time. Thread-safe.
 */
public final class ManualExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs queued tasks (and tasks they queue) on the calling thread until none is left; returns how many. */
    public int runAll() {
        int n = 0;
        Runnable r;
        while ((r = poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    /** Drops every queued task (after a crash, the process that would have run them is gone). */
    public synchronized void clear() {
        tasks.clear();
    }

    private synchronized Runnable poll() {
        return tasks.poll();
    }
}
