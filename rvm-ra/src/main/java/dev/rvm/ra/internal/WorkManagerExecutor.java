package dev.rvm.ra.internal;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link Executor} the adapter gives the core for background truncation: each task runs as a JCA
 * {@link Work} scheduled on the server's {@link WorkManager}, so the adapter starts no thread of its own. After
 * {@link #shutdown()} tasks are refused, which the core tolerates (it truncates again later, or at reopen).
 *
 * <p>Thread-safe.
 */
public final class WorkManagerExecutor implements Executor {
    private final WorkManager workManager;
    private volatile boolean shutdown;

    /** An executor on {@code workManager}. */
    public WorkManagerExecutor(WorkManager workManager) {
        this.workManager = workManager;
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException(Messages.notStarted());
        }
        try {
            workManager.scheduleWork(new TruncationWork(task), WorkManager.INDEFINITE, null, new WorkAdapter() {
                @Override
                public void workRejected(WorkEvent e) {
                    Messages.truncationRejected(e.getException());
                }
            });
        } catch (WorkException e) {
            Messages.truncationRejected(e);
            throw new RejectedExecutionException(e.getMessage(), e);
        }
    }

    /** Refuses further tasks. */
    public void shutdown() {
        shutdown = true;
    }

    /** A truncation as a Work. It cannot be cut short: {@link #release()} lets it finish (closing waits for it). */
    static final class TruncationWork implements Work {
        private final Runnable task;

        TruncationWork(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public void release() {
            // A truncation in progress must finish to keep the log consistent; stop() waits for it.
        }

        @Override
        public String toString() {
            return "RVM log truncation";
        }
    }
}
