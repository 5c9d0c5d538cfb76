package dev.rvm.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RaftSetup#closeAndAwait} on a real Ratis server (a group of one): a {@code FollowerState} thread that a
 * leader's step-down started after the division had closed (the race ReplicatedFailoverIT met in WildFly: Ratis's
 * {@code changeToFollower} on the stepping-down thread, the member's close on another) is stopped by the close, not
 * left to run its timer for ever. Ratis's own thread cannot be made to start at will, so a stand-in named as Ratis
 * names it plays it: like Ratis's, it sleeps an election timeout at a time and ends only when interrupted.
 */
class CloseAndAwaitTest {
    @TempDir
    Path dir;

    @Test
    void aFollowerStateStartedAfterTheCloseIsStoppedAndNothingOfTheMemberIsLeft() throws Exception {
        try (Cluster c = new Cluster(dir, 1, 1 << 20, b -> b)) {
            c.startAll();
            Replica r = c.awaitLeader(Duration.ofSeconds(60));
            String prefix = r.memberId() + "@" + r.groupId() + "-";
            CountDownLatch started = new CountDownLatch(1);
            Thread late = new Thread(() -> {
                started.countDown();
                try {
                    while (true) {
                        Thread.sleep(Cluster.ELECTION_MAX.toMillis());
                    }
                } catch (InterruptedException stopped) {
                    // how Ratis stops a FollowerState
                }
            }, prefix + "FollowerState");
            late.setDaemon(true);
            late.start();
            started.await();
            List<String> left = RaftSetup.closeAndAwait(r.server(), r.memberId(), r.groupId(), Duration.ofSeconds(10));
            assertEquals(List.of(), left, "threads of the closed member");
            late.join(1000);
            assertFalse(late.isAlive(), "the late FollowerState still runs");
        }
    }
}
