package dev.rvm.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.CommitMode;
import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Replica#progress()} on three real Ratis servers: the leader's figures for its followers, a follower's -1,
 * and the lag and silence of a follower that is stopped while the leader keeps committing, gone again once it
 * rejoins.
 */
class GroupProgressTest {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final int COMMITS = 40;

    @TempDir
    Path dir;

    private static void commit(RecoverableMemory rvm, Region r, long v) {
        Transaction t = rvm.begin(RestoreMode.NO_RESTORE);
        t.setRange(r, 0, 8);
        r.putLong(0, v);
        t.commit(CommitMode.FLUSH);
    }

    /** Polls {@code m}'s progress until {@code wanted} accepts it (a leader learns of its followers as they answer). */
    private static GroupProgress await(Replica m, Predicate<GroupProgress> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        GroupProgress p = m.progress();
        while (!wanted.test(p)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(m.memberId() + ": " + what + " not seen within 30 s; last " + p);
            }
            Thread.sleep(20);
            p = m.progress();
        }
        return p;
    }

    @Test
    void theLeaderShowsAStoppedFollowersGrowingLagAndSilenceAndAFollowerShowsNone() throws Exception {
        try (Cluster c = new Cluster(dir, 3, 1 << 20, b -> b)) {
            c.startAll();
            Replica leader = c.awaitLeader(ELECTION);
            RecoverableMemory rvm = leader.active().orElseThrow();
            rvm.createSegment("data", 4096);
            Region r = rvm.map("data", 0, 4096);
            for (int i = 0; i < COMMITS; i++) {
                commit(rvm, r, i);
            }
            // The figures are read one after the other, not at one instant: an entry appended meanwhile (the store's
            // own, after the last commit) may show as not yet committed; the group settles within a heartbeat.
            GroupProgress caughtUp = await(leader, p -> p.followerLagMax() == 0 && p.commitIndex() == p.lastIndex(),
                    "every follower holding the leader's last entry, committed");
            System.out.println("group progress, all caught up: leader " + caughtUp);
            assertTrue(caughtUp.commitIndex() >= COMMITS, caughtUp.toString());
            assertEquals(0, caughtUp.followersBehind(), caughtUp.toString());
            assertTrue(caughtUp.followerSilenceMillis() >= 0
                    && caughtUp.followerSilenceMillis() < Cluster.ELECTION_MAX.toMillis(), caughtUp.toString());
            Replica follower = c.members.values().stream().filter(m -> m != leader).findFirst().orElseThrow();
            GroupProgress f = await(follower, p -> p.commitIndex() == caughtUp.commitIndex(),
                    "the follower knowing the leader's commit index");
            assertEquals(-1, f.followerLagMax(), f.toString());
            assertEquals(-1, f.followersBehind(), f.toString());
            assertEquals(-1, f.followerSilenceMillis(), f.toString());

            // One follower stops: the other keeps a majority with the leader, which keeps committing.
            String stopped = follower.memberId();
            c.stop(stopped);
            for (int i = 0; i < COMMITS; i++) {
                commit(rvm, r, 1000 + i);
            }
            Thread.sleep(Cluster.ELECTION_MAX.toMillis());
            GroupProgress lagging = leader.progress();
            System.out.println("group progress, " + stopped + " stopped, " + COMMITS + " commits later: leader "
                    + lagging);
            assertTrue(lagging.commitIndex() >= caughtUp.commitIndex() + COMMITS, lagging.toString());
            assertTrue(lagging.followerLagMax() >= COMMITS, "the stopped follower's lag: " + lagging);
            assertEquals(1, lagging.followersBehind(), lagging.toString());
            assertTrue(lagging.followerSilenceMillis() >= Cluster.ELECTION_MAX.toMillis(), lagging.toString());
            assertEquals(GroupProgress.UNKNOWN, c.members.get(stopped).progress(), "a closed member knows nothing");

            // It rejoins on its directory and catches up: no lag, no silence, nobody behind.
            c.start(stopped);
            GroupProgress again = await(leader, p -> p.followerLagMax() == 0
                    && p.followerSilenceMillis() < Cluster.ELECTION_MAX.toMillis(), "the rejoined follower caught up");
            System.out.println("group progress, " + stopped + " rejoined: leader " + again);
            assertEquals(0, again.followersBehind(), again.toString());
        }
    }
}
