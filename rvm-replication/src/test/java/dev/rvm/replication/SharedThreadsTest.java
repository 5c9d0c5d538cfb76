package dev.rvm.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.TimeDuration;
import org.apache.ratis.util.TimeoutExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads Ratis and gRPC share among the members of a class loader ({@link RatisSharedThreads}): Ratis's timers
 * ({@code timer0}..{@code timer7}) end when the last member closes, and a member started afterwards gets working
 * timers again; gRPC's event loops and executors have ended when the last member's close returns (an undeploy then
 * closes the class loader, which they would otherwise still need).
 */
class SharedThreadsTest {
    @TempDir
    Path dir;

    private static List<String> timerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.matches("timer[0-7]")).toList();
    }

    /** Runs a task on Ratis's timers, as its log appenders do, and waits until it has run. */
    private static void timeout() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        TimeoutExecutor.getInstance().onTimeout(TimeDuration.valueOf(10, TimeUnit.MILLISECONDS), ran::countDown,
                (RuntimeException e) -> {
                    throw e;
                });
        assertTrue(ran.await(10, TimeUnit.SECONDS), "a Ratis timeout did not run");
    }

    @Test
    void theLastMemberToCloseStopsRatissTimerThreadsAndALaterMemberGetsNewOnes() throws Exception {
        try (Cluster c = new Cluster(dir.resolve("first"), 1, 1 << 20, b -> b)) {
            c.startAll();
            c.awaitLeader(Duration.ofSeconds(60));
            timeout();
            assertFalse(timerThreads().isEmpty(), "Ratis's timer threads while a member is open");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!timerThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), timerThreads(), "Ratis's timer threads after the last member closed");
        try (Cluster c = new Cluster(dir.resolve("second"), 1, 1 << 20, b -> b)) {
            c.startAll();
            c.awaitLeader(Duration.ofSeconds(60));
            timeout();
        }
    }

    private static List<String> grpcThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(RatisSharedThreads::isSharedGrpcThread).map(Thread::getName).toList();
    }

    @Test
    void theLastMembersCloseReturnsOnlyOnceGrpcsSharedThreadsHaveEnded() throws Exception {
        try (Cluster c = new Cluster(dir.resolve("grpc"), 3, 1 << 20, b -> b)) {
            c.startAll();
            c.awaitLeader(Duration.ofSeconds(60));
            assertFalse(grpcThreads().isEmpty(), "gRPC's event loops while members are open");
        }
        // no waiting here: the close itself must have waited
        assertEquals(List.of(), grpcThreads(), "gRPC threads alive when the last member's close returned");
    }
}
