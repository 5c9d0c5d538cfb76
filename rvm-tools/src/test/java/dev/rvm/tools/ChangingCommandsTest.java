package dev.rvm.tools;

import static dev.rvm.tools.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.RecoverableMemory;
import dev.rvm.core.inspect.LogInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create-log, create-segment, recover, truncate and the in-doubt commands on real stores. */
class ChangingCommandsTest {
    @TempDir
    Path dir;

    @Test
    void createLogMakesAStoreOfTheGivenSizeThatTheCoreOpens() throws Exception {
        Path store = dir.resolve("store");
        Fixtures.Run r = run("create-log", "--size", "2M", store.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertEquals(2L << 20, Files.size(store.resolve("rvm.log")));
        try (RecoverableMemory rvm = RecoverableMemory.open(Fixtures.options(store))) {
            assertTrue(r.out().contains(String.format("%016x", rvm.storeId())), r.toString());
        }
    }

    @Test
    void createLogRefusesToOverwriteALog() {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.Run r = run("create-log", dir.toString());
        assertEquals(ExitCodes.REFUSED, r.exit(), r.toString());
        assertTrue(r.err().contains("already exists"), r.toString());
        assertEquals(1, Fixtures.records(dir).size());
    }

    @Test
    void createSegmentAddsASegmentOfTheGivenSize() {
        run("create-log", "--size", "1M", dir.toString());
        Fixtures.Run r = run("create-segment", "--size", "64K", dir.toString(), "table");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        try (RecoverableMemory rvm = RecoverableMemory.open(Fixtures.options(dir))) {
            assertEquals(64 * 1024, rvm.segmentSize("table"));
        }
        Fixtures.Run again = run("create-segment", "--size", "64K", dir.toString(), "table");
        assertEquals(ExitCodes.REFUSED, again.exit(), again.toString());
        assertTrue(again.err().contains("SEGMENT_EXISTS"), again.toString());
    }

    @Test
    void recoverReplaysTheLogAndReportsTheRecordsApplied() {
        Fixtures.storeWithCommits(dir, 7);
        Fixtures.Run r = run("recover", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("replayed 7 record(s)"), r.toString());
        try (LogInspector in = LogInspector.open(dir)) {
            assertEquals(7, in.status().lastRecoveryRecords());
        }
        assertEquals(1006, Fixtures.account(dir, 6));
    }

    @Test
    void truncateAppliesTheLogAndFreesItsSpace() {
        Fixtures.storeWithCommits(dir, 7);
        long usedBefore;
        try (LogInspector in = LogInspector.open(dir)) {
            usedBefore = in.status().used();
        }
        Fixtures.Run r = run("truncate", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("log use " + usedBefore + " -> 0 bytes"), r.toString());
        try (LogInspector in = LogInspector.open(dir)) {
            assertEquals(0, in.status().used());
        }
        assertEquals(1000, Fixtures.account(dir, 0));
    }

    @Test
    void inDoubtListShowsThePreparedBranchInHex() {
        Fixtures.storeWithCommits(dir, 2);
        Fixtures.addInDoubtBranch(dir, 55);
        Fixtures.Run r = run("in-doubt", "list", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains(Fixtures.BRANCH.toString()), r.toString());
        assertTrue(r.out().contains("1 branch(es) in doubt"), r.toString());
    }

    @Test
    void inDoubtListJsonGivesEachBranchWithItsPrepareLsn() {
        Fixtures.storeWithCommits(dir, 2);
        Fixtures.Run empty = run("in-doubt", "list", "--json", dir.toString());
        assertEquals(ExitCodes.OK, empty.exit(), empty.toString());
        assertTrue(empty.out().trim().endsWith("\"branches\":[]}"), empty.toString());
        Fixtures.addInDoubtBranch(dir, 55);
        long prepareLsn = Fixtures.records(dir).stream().filter(x -> x.branchId() != null).reduce((a, b) -> b)
                .orElseThrow().lsn();
        Fixtures.Run r = run("in-doubt", "list", "--json", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("\"branches\":[{\"branch\":\"" + Fixtures.BRANCH + "\",\"prepareLsn\":"
                + prepareLsn + ",\"epoch\":"), r.toString());
        assertTrue(r.out().trim().endsWith("}]}"), r.toString());
    }

    @Test
    void inDoubtCommitAppliesTheBranchAndWarnsThatItIsHeuristic() {
        Fixtures.storeWithCommits(dir, 2);
        Fixtures.addInDoubtBranch(dir, 55);
        Fixtures.Run r = run("in-doubt", "commit", dir.toString(), Fixtures.BRANCH.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.err().contains("heuristic decision"), r.toString());
        assertTrue(r.out().contains("committed branch " + Fixtures.BRANCH), r.toString());
        assertEquals(55, Fixtures.account(dir, (int) Fixtures.ACCOUNTS - 1));
        assertTrue(run("in-doubt", "list", dir.toString()).out().contains("no branches in doubt"));
        assertEquals(ExitCodes.OK, run("status", dir.toString()).exit());
    }

    @Test
    void inDoubtRollbackDropsTheBranch() {
        Fixtures.storeWithCommits(dir, 2);
        Fixtures.addInDoubtBranch(dir, 55);
        Fixtures.Run r = run("in-doubt", "rollback", dir.toString(), Fixtures.BRANCH.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.err().contains("heuristic decision"), r.toString());
        assertEquals(0, Fixtures.account(dir, (int) Fixtures.ACCOUNTS - 1));
        assertTrue(run("in-doubt", "list", dir.toString()).out().contains("no branches in doubt"));
    }

    @Test
    void inDoubtCommitOfAnUnknownBranchIsRefused() {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.Run r = run("in-doubt", "commit", dir.toString(), "abcd");
        assertEquals(ExitCodes.REFUSED, r.exit(), r.toString());
        assertTrue(r.err().contains("UNKNOWN_BRANCH"), r.toString());
    }

    @Test
    void aBranchIdThatIsNotHexIsAUsageError() {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.Run r = run("in-doubt", "commit", dir.toString(), "not-hex");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
    }
}
