package dev.rvm.tools;

import static dev.rvm.tools.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.Statistics;
import dev.rvm.core.inspect.InspectedRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only commands on sound stores. */
class InspectCommandsTest {
    @TempDir
    Path dir;

    @Test
    void statusOfACleanStoreShowsTheLogAndExitsZero() {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.Run r = run("status", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("records         5"), r.toString());
        assertTrue(r.out().contains("accounts"), r.toString());
        assertTrue(r.out().contains("state           clean"), r.toString());
        assertTrue(r.out().contains("lock            free"), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void statusJsonCarriesHeadTailAndRecordCount() {
        Fixtures.storeWithCommits(dir, 3);
        List<InspectedRecord> recs = Fixtures.records(dir);
        Fixtures.Run r = run("status", "--json", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("{") && r.out().trim().endsWith("}"), r.toString());
        assertTrue(r.out().contains("\"records\":3"), r.toString());
        assertTrue(r.out().contains("\"tail\":" + recs.get(2).lsn() + recs.get(2).length()) || r.out().contains(
                "\"tail\":" + (recs.get(2).lsn() + recs.get(2).length())), r.toString());
        assertTrue(r.out().contains("\"clean\":true"), r.toString());
    }

    @Test
    void statusOfAStoreWithABranchInDoubtExitsOne() {
        Fixtures.storeWithCommits(dir, 2);
        Fixtures.addInDoubtBranch(dir, 77);
        Fixtures.Run r = run("status", dir.toString());
        assertEquals(ExitCodes.ATTENTION, r.exit(), r.toString());
        assertTrue(r.out().contains("branches in doubt"), r.toString());
    }

    @Test
    void dumpListsEveryRecordWithTypeRangesAndCrcState() {
        Fixtures.storeWithCommits(dir, 4);
        Fixtures.Run r = run("dump", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertEquals(4, r.out().lines().filter(l -> l.contains("COMMIT") && l.contains(" OK ")).count(), r.toString());
        assertTrue(r.out().contains("range accounts @24 +8"), r.toString());
        assertTrue(r.out().contains("4 record(s) listed; log end: CLEAN"), r.toString());
    }

    @Test
    void dumpFromAndLimitSelectAWindowOfRecords() {
        Fixtures.storeWithCommits(dir, 6);
        List<InspectedRecord> recs = Fixtures.records(dir);
        long from = recs.get(2).lsn();
        Fixtures.Run r = run("dump", "--from", Long.toString(from), "--limit", "2", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        List<String> rows = r.out().lines().filter(l -> l.contains("COMMIT")).toList();
        assertEquals(2, rows.size(), r.toString());
        assertTrue(rows.get(0).trim().startsWith(Long.toString(from)), r.toString());
        assertTrue(rows.get(1).trim().startsWith(Long.toString(recs.get(3).lsn())), r.toString());
        assertTrue(r.out().contains("more follow"), r.toString());
    }

    @Test
    void dumpHexShowsTheNewValuesLittleEndian() {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.Run r = run("dump", "--hex", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("e803000000000000"), r.toString()); // 1000
    }

    @Test
    void dumpJsonIsOneDocumentWithRecordsRangesAndValues() {
        Fixtures.storeWithCommits(dir, 2, 0x1122334455667788L);
        Fixtures.Run r = run("dump", "--json", "--hex", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        String j = r.out().trim();
        assertTrue(j.startsWith("{\"store\":") && j.endsWith("}"), j);
        assertTrue(j.contains("\"type\":\"COMMIT\""), j);
        assertTrue(j.contains("\"type\":\"PREPARE\""), j);
        assertTrue(j.contains("\"branch\":\"" + Fixtures.BRANCH + "\""), j);
        assertTrue(j.contains("\"segment\":\"accounts\""), j);
        assertTrue(j.contains("\"value\":\"8877665544332211\""), j);
        assertTrue(j.contains("\"crc\":\"OK\""), j);
        assertEquals(j.chars().filter(c -> c == '{').count(), j.chars().filter(c -> c == '}').count(), j);
        assertEquals(j.chars().filter(c -> c == '[').count(), j.chars().filter(c -> c == ']').count(), j);
    }

    @Test
    void verifyOfASoundStoreSaysOkAndExitsZero() {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.Run r = run("verify", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("OK: status block, 1 segment(s), 5 record(s)"), r.toString());
    }

    @Test
    void verifyJsonOfASoundStoreSaysOkWithNoProblemsAndExitsZero() {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.Run r = run("verify", "--json", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("\"ok\":true,\"recoverable\":true,\"segmentsChecked\":1,\"recordsChecked\":5,"),
                r.toString());
        assertTrue(r.out().trim().endsWith("\"problems\":[]}"), r.toString());
    }

    @Test
    void verifyNeverModifiesTheLog() throws Exception {
        Fixtures.storeWithCommits(dir, 3);
        Fixtures.flipByte(dir, Fixtures.records(dir).get(2).fileOffset() + 40);
        byte[] before = Files.readAllBytes(dir.resolve("rvm.log"));
        run("verify", dir.toString());
        run("status", dir.toString());
        run("dump", dir.toString());
        assertTrue(Arrays.equals(before, Files.readAllBytes(dir.resolve("rvm.log"))));
    }

    @Test
    void progressBarAppearsOnlyWhenAskedForOffATerminal() {
        Fixtures.storeWithCommits(dir, 2);
        Fixtures.Run quiet = run("verify", dir.toString());
        assertEquals("", quiet.err(), quiet.toString());
        Fixtures.Run shown = run("verify", "--progress=always", dir.toString());
        assertEquals(ExitCodes.OK, shown.exit(), shown.toString());
        assertTrue(shown.err().contains("verifying [") && shown.err().contains("100%"), shown.toString());
    }

    @Test
    void statsCountsRecordTypesTransactionsAndSegmentBytes() {
        Fixtures.storeWithCommits(dir, 5, 5L);
        Fixtures.Run r = run("stats", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s).*COMMIT\\s+5\\s+\\d+.*"), r.toString());
        assertTrue(r.out().matches("(?s).*PREPARE\\s+1\\s+\\d+.*"), r.toString());
        assertTrue(r.out().contains("committed transactions 5"), r.toString());
        assertTrue(r.out().matches("(?s).*accounts\\s+6\\s+48.*"), r.toString());
        assertTrue(r.out().contains("in doubt 1"), r.toString());
    }

    @Test
    void statsOpenPrintsTheEngineStatistics() {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.Run r = run("stats", "--open", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s).*lastRecoveryRecords\\s+5\\n.*"), r.toString());
        assertTrue(r.out().contains("logCapacity"), r.toString());
    }

    @Test
    void statsJsonGivesTheSameCountsAsOneDocument() {
        Fixtures.storeWithCommits(dir, 5, 5L);
        Fixtures.Run r = run("stats", "--json", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        String j = r.out().trim();
        assertTrue(j.startsWith("{\"log\":") && j.endsWith("}"), j);
        assertTrue(j.contains("{\"type\":\"COMMIT\",\"records\":5,\"bytes\":"), j);
        assertTrue(j.contains("{\"type\":\"PREPARE\",\"records\":1,\"bytes\":"), j);
        assertTrue(j.contains("\"transactions\":5,"), j);
        assertTrue(j.contains("\"segments\":[{\"segment\":\"accounts\",\"ranges\":6,\"newBytes\":48}]"), j);
        assertTrue(j.contains("\"inDoubt\":1,"), j);
        assertEquals(1, r.out().lines().count(), r.toString());
    }

    @Test
    void statsOpenJsonGivesEveryEngineStatistic() {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.Run r = run("stats", "--open", "--json", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        String j = r.out().trim();
        assertTrue(j.contains("\"statistics\":{\"commitsFlush\":"), j);
        assertTrue(j.contains("\"lastRecoveryRecords\":5,"), j);
        assertTrue(j.endsWith(",\"logUse\":" + j.substring(j.lastIndexOf(':') + 1)) && j.endsWith("}}"), j);
        assertEquals(Statistics.class.getRecordComponents().length + 1,
                j.substring(j.indexOf("\"statistics\":{")).chars().filter(c -> c == ':').count() - 1, j);
    }

    @Test
    void acceptsTheLogFileInsteadOfTheDirectory() {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.Run r = run("status", dir.resolve("rvm.log").toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertFalse(r.out().isEmpty());
    }
}
