package dev.rvm.ra.spi;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A bootstrap context whose WorkManager runs works on one thread of its own and records them. */
final class FakeBootstrapContext implements BootstrapContext, WorkManager, AutoCloseable {
    final List<Work> scheduled = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-work"));

    /** Waits until every work scheduled so far has run. */
    void drain() throws Exception {
        pool.submit(() -> { }).get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    @Override
    public WorkManager getWorkManager() {
        return this;
    }

    @Override
    public XATerminator getXATerminator() {
        return null;
    }

    @Override
    public Timer createTimer() {
        return new Timer("fake-bootstrap-timer", true);
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> c) {
        return false;
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return null;
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long timeout, ExecutionContext ctx, WorkListener l) {
        work.run();
    }

    @Override
    public long startWork(Work work) {
        scheduleWork(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long timeout, ExecutionContext ctx, WorkListener l) {
        scheduleWork(work);
        return 0;
    }

    @Override
    public void scheduleWork(Work work) {
        scheduled.add(work);
        pool.execute(work);
    }

    @Override
    public void scheduleWork(Work work, long timeout, ExecutionContext ctx, WorkListener l) {
        scheduleWork(work);
    }
}
