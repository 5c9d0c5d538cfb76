package dev.rvm.replication;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Timer;
import org.apache.ratis.util.MemoizedSupplier;
import org.apache.ratis.util.TimeoutTimer;

/**
 * Stops Ratis's shared timer threads once the last member in this class loader has closed. Ratis 3.2.2 runs its
 * timeouts (log appenders' retries, batched log lines, client requests) on up to eight {@code java.util.Timer}
 * threads named {@code timer0} to {@code timer7}, created on first use, held by a static {@code TimeoutTimer} and
 * never cancelled: in WildFly they outlived an undeployed adapter, and each redeploy would have added eight more, each
 * keeping the old deployment's class loader (their context class loader). Ratis offers no way to stop them, so the
 * timers are cancelled and their lazy holders reset through reflection (the fields of Ratis 3.2.2; if they are not
 * there the timers are left running and a warning says so): a member started later in the same class loader gets new
 * ones. Thread-safe (the count of open members is guarded by the class).
 */
final class RatisTimers {
    private static final System.Logger LOG = System.getLogger("dev.rvm.replication");
    private static int open; // guarded by RatisTimers.class

    private RatisTimers() {
    }

    /** A member is starting: the timers stay while it is open. */
    static synchronized void opened() {
        open++;
    }

    /** A member has closed (its Ratis server closed): with none left open, stops the timers. */
    static synchronized void closed() {
        open--;
        if (open == 0) {
            stop();
        }
    }

    // The field's declared type is List<MemoizedSupplier<Timer>> (TimeoutTimer's constructor builds it so).
    @SuppressWarnings("unchecked")
    private static void stop() {
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
