package dev.rvm.replication;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Timer;
import org.apache.ratis.util.MemoizedSupplier;
import org.apache.ratis.util.TimeoutTimer;

/**
 * Ends the threads Ratis shares among the members of a class loader once the last of them has closed, so that an
 * undeployed adapter leaves none behind. Two kinds:
 *
 * <p><b>Timers.</b> Ratis 3.2.2 runs its timeouts (log appenders' retries, batched log lines, client requests) on up
 * to eight {@code java.util.Timer} threads named {@code timer0} to {@code timer7}, created on first use, held by a
 * static {@code TimeoutTimer} and never cancelled: in WildFly they outlived an undeployed adapter, and each redeploy
 * would have added eight more, each keeping the old deployment's class loader (their context class loader). Ratis
 * offers no way to stop them, so the timers are cancelled and their lazy holders reset through reflection (the fields
 * of Ratis 3.2.2; if they are not there the timers are left running and a warning says so): a member started later in
 * the same class loader gets new ones.
 *
 * <p><b>gRPC's shared event loops and executors</b> ({@code grpc-default-boss-ELG-*}, {@code grpc-default-worker-ELG-*},
 * {@code grpc-default-executor-*}, {@code grpc-shared-destroyer-*}, Netty's {@code globalEventExecutor-*}): a Ratis
 * server that closes releases them, and gRPC shuts them down a second later on a thread of its own. In WildFly an
 * undeploy closed the adapter's class loader within that second (ReplicatedFailoverIT): the event loops, still
 * running, failed to load their classes ({@code zip file closed}, {@code NoClassDefFoundError}) and one of them never
 * ended. So the last member to close waits, bounded, until every such thread of this class loader has ended; no member
 * can start meanwhile (the wait holds the class's monitor, which {@link #opened} takes), so gRPC cannot take them
 * back into use. Thread-safe (the count of open members is guarded by the class).
 */
final class RatisSharedThreads {
    /** How long the last member's close waits for gRPC's shared threads to end. */
    static final Duration GRPC_THREADS_WAIT = Duration.ofSeconds(15);
    /** How long none of them must be seen before the wait ends. */
    static final long QUIET_MILLIS = 200;

    private static final System.Logger LOG = System.getLogger("dev.rvm.replication");
    private static int open; // guarded by RatisSharedThreads.class

    private RatisSharedThreads() {
    }

    /** A member is starting: the timers stay while it is open. */
    static synchronized void opened() {
        open++;
    }

    /**
     * A member has closed (its Ratis server closed): with none left open, stops the timers and waits for gRPC's shared
     * threads to end.
     */
    static synchronized void closed() {
        open--;
        if (open == 0) {
            stopTimers();
            List<String> alive = awaitGrpcThreads(GRPC_THREADS_WAIT);
            if (!alive.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "RVM replication: gRPC threads still running "
                        + GRPC_THREADS_WAIT.toSeconds() + " s after the last member closed: {0}", alive);
            }
        }
    }

    /**
     * Whether {@code t} is one of gRPC's (or Netty's) shared threads of this class loader: its context class loader,
     * or the loader of its class (Netty's {@code globalEventExecutor} has no context class loader), is ours.
     */
    static boolean isSharedGrpcThread(Thread t) {
        String n = t.getName();
        ClassLoader ours = RatisSharedThreads.class.getClassLoader();
        return (n.startsWith("grpc-default-") || n.startsWith("grpc-nio-") || n.startsWith("grpc-shared-destroyer")
                || n.startsWith("globalEventExecutor"))
                && (t.getContextClassLoader() == ours || t.getClass().getClassLoader() == ours);
    }

    /**
     * Waits until no shared gRPC thread of this class loader has been alive for {@value #QUIET_MILLIS} ms, at most
     * {@code bound}; returns those left. The quiet time is for Netty's {@code globalEventExecutor}, which the event
     * loops' termination may start just after they end (seen once in ReplicatedFailoverIT right after an undeploy).
     */
    static List<String> awaitGrpcThreads(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Thread> alive = sharedGrpcThreads();
        try {
            while (System.nanoTime() < deadline) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (alive.isEmpty()) {
                    Thread.sleep(Math.min(QUIET_MILLIS, left));
                    alive = sharedGrpcThreads();
                    if (alive.isEmpty()) {
                        break;
                    }
                } else {
                    alive.get(0).join(Math.min(100, left));
                    alive = sharedGrpcThreads();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // an interrupted close returns; the warning names what is left
        }
        return alive.stream().map(Thread::getName).toList();
    }

    private static List<Thread> sharedGrpcThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(RatisSharedThreads::isSharedGrpcThread).toList();
    }

    // The field's declared type is List<MemoizedSupplier<Timer>> (TimeoutTimer's constructor builds it so).
    @SuppressWarnings("unchecked")
    private static void stopTimers() {
        try {
            Field timers = TimeoutTimer.class.getDeclaredField("timers");
            timers.setAccessible(true);
            Field value = MemoizedSupplier.class.getDeclaredField("value");
            value.setAccessible(true);
            for (MemoizedSupplier<Timer> t : (List<MemoizedSupplier<Timer>>) timers.get(TimeoutTimer.getInstance())) {
                // MemoizedSupplier creates its value under its own monitor: no timer is created meanwhile.
                synchronized (t) {
                    if (t.isInitialized()) {
                        t.get().cancel();
                        value.set(t, null);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "RVM replication: Ratis's timer threads (timer0..timer7) could not be"
                    + " stopped and keep running", e);
        }
    }
}
