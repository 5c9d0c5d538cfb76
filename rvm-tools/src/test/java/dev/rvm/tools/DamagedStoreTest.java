package dev.rvm.tools;

import static dev.rvm.tools.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.inspect.InspectedRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged logs and files that are not logs: one clear line, the right exit code, no stack trace. */
class DamagedStoreTest {
    @TempDir
    Path dir;

    private static void assertOneLineNoTrace(Fixtures.Run r) {
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("rvm-tools: "), r.toString());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.toString());
    }

    @Test
    void aFlippedByteInAMiddleRecordIsReportedWithItsPositionByVerify() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        InspectedRecord bad = Fixtures.records(dir).get(2);
        Fixtures.flipByte(dir, bad.fileOffset() + 40);
        Fixtures.Run r = run("verify", dir.toString());
        assertEquals(ExitCodes.DAMAGED, r.exit(), r.toString());
        assertTrue(r.out().startsWith("DAMAGED: LOG_DAMAGED in " + dir.resolve("rvm.log") + " at offset "
                + bad.fileOffset() + " (lsn " + bad.lsn() + ")"), r.toString());
        assertTrue(r.out().contains("CRC mismatch"), r.toString());
    }

    @Test
    void verifyJsonListsTheDamageWithKindFileOffsetAndLsnAndExitsFour() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        InspectedRecord bad = Fixtures.records(dir).get(2);
        Fixtures.flipByte(dir, bad.fileOffset() + 40);
        Fixtures.Run r = run("verify", "--json", dir.toString());
        assertEquals(ExitCodes.DAMAGED, r.exit(), r.toString());
        String j = r.out().trim();
        assertTrue(j.startsWith("{\"store\":") && j.endsWith("]}"), j);
        assertTrue(j.contains("\"ok\":false,\"recoverable\":false"), j);
        assertTrue(j.contains("{\"kind\":\"LOG_DAMAGED\",\"recoverable\":false,\"file\":"
                + Json.str(dir.resolve("rvm.log").toString()) + ",\"fileOffset\":" + bad.fileOffset() + ",\"lsn\":"
                + bad.lsn() + ",\"message\":"), j);
        assertEquals(1, r.out().lines().count(), "one document on one line: " + r);
    }

    @Test
    void aFlippedByteInAMiddleRecordMakesStatusExitFourAndDumpShowTheBadCrc() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        InspectedRecord bad = Fixtures.records(dir).get(2);
        Fixtures.flipByte(dir, bad.fileOffset() + 40);
        Fixtures.Run s = run("status", dir.toString());
        assertEquals(ExitCodes.DAMAGED, s.exit(), s.toString());
        assertTrue(s.out().contains("DAMAGED"), s.toString());
        Fixtures.Run d = run("dump", dir.toString());
        assertEquals(ExitCodes.OK, d.exit(), d.toString());
        assertTrue(d.out().lines().anyMatch(l -> l.trim().startsWith(Long.toString(bad.lsn())) && l.contains("BAD_CRC")),
                d.toString());
        assertTrue(d.out().contains("log end: DAMAGED"), d.toString());
    }

    @Test
    void recoverRefusesALogDamagedInTheMiddleWithOneLine() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.flipByte(dir, Fixtures.records(dir).get(2).fileOffset() + 40);
        Fixtures.Run r = run("recover", dir.toString());
        assertEquals(ExitCodes.DAMAGED, r.exit(), r.toString());
        assertOneLineNoTrace(r);
        assertTrue(r.err().contains("LOG_CORRUPT"), r.toString());
    }

    @Test
    void aTornLastRecordIsARecoverableProblem() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        InspectedRecord last = Fixtures.records(dir).get(4);
        Fixtures.flipByte(dir, last.fileOffset() + 40);
        Fixtures.Run v = run("verify", dir.toString());
        assertEquals(ExitCodes.ATTENTION, v.exit(), v.toString());
        assertTrue(v.out().startsWith("PROBLEM: TORN_TAIL in " + dir.resolve("rvm.log") + " at offset "
                + last.fileOffset() + " (lsn " + last.lsn() + ")"), v.toString());
        Fixtures.Run s = run("status", dir.toString());
        assertEquals(ExitCodes.ATTENTION, s.exit(), s.toString());
        assertTrue(s.out().contains("torn tail"), s.toString());
        Fixtures.Run r = run("recover", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("replayed 4 record(s)"), r.toString());
        assertEquals(1003, Fixtures.account(dir, 3));
        assertEquals(0, Fixtures.account(dir, 4));
    }

    @Test
    void aZeroedLastRecordLooksLikeACleanShorterLog() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        InspectedRecord last = Fixtures.records(dir).get(4);
        Fixtures.zero(dir, last.fileOffset(), last.length());
        Fixtures.Run v = run("verify", dir.toString());
        assertEquals(ExitCodes.OK, v.exit(), v.toString());
        assertTrue(v.out().contains("4 record(s)"), v.toString());
    }

    @Test
    void aZeroedMiddleRecordIsDamage() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        InspectedRecord mid = Fixtures.records(dir).get(1);
        Fixtures.zero(dir, mid.fileOffset(), mid.length());
        Fixtures.Run v = run("verify", dir.toString());
        assertEquals(ExitCodes.DAMAGED, v.exit(), v.toString());
        assertTrue(v.out().contains("(lsn " + mid.lsn() + ")"), v.toString());
    }

    @Test
    void aTruncatedLogFileGetsOneClearLine() throws Exception {
        Fixtures.storeWithCommits(dir, 5);
        Fixtures.cut(dir, Files.size(dir.resolve("rvm.log")) - 4096);
        for (String cmd : List.of("status", "verify", "dump", "recover")) {
            Fixtures.Run r = run(cmd, dir.toString());
            assertEquals(ExitCodes.DAMAGED, r.exit(), cmd + ": " + r);
            assertOneLineNoTrace(r);
            assertTrue(r.err().contains("status block says"), r.toString());
        }
    }

    @Test
    void bothStatusCopiesDamagedIsReported() throws Exception {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.flipByte(dir, 100);
        Fixtures.flipByte(dir, 4096 + 100);
        Fixtures.Run r = run("verify", dir.toString());
        assertEquals(ExitCodes.DAMAGED, r.exit(), r.toString());
        assertOneLineNoTrace(r);
        assertTrue(r.err().contains("STATUS_CORRUPT"), r.toString());
    }

    @Test
    void oneTornStatusCopyIsARecoverableProblem() throws Exception {
        Fixtures.storeWithCommits(dir, 1);
        Fixtures.account(dir, 0); // an open writes both copies again, with the same segment table
        Fixtures.flipByte(dir, 100);
        Fixtures.Run r = run("verify", dir.toString());
        assertEquals(ExitCodes.ATTENTION, r.exit(), r.toString());
        assertTrue(r.out().startsWith("PROBLEM: STATUS_COPY_INVALID"), r.toString());
    }

    @Test
    void aMissingSegmentFileIsDamage() throws Exception {
        Fixtures.storeWithCommits(dir, 1);
        Files.delete(dir.resolve("segments").resolve("accounts.seg"));
        Fixtures.Run r = run("verify", dir.toString());
        assertEquals(ExitCodes.DAMAGED, r.exit(), r.toString());
        assertTrue(r.out().contains("SEGMENT_MISSING"), r.toString());
    }

    @Test
    void aFileThatIsNotALogGetsOneLineAndExitThree() throws Exception {
        Files.write(dir.resolve("rvm.log"), new byte[64 * 1024]);
        for (String cmd : List.of("status", "verify", "dump", "stats", "recover", "truncate")) {
            Fixtures.Run r = run(cmd, dir.toString());
            assertEquals(ExitCodes.NOT_A_STORE, r.exit(), cmd + ": " + r);
            assertOneLineNoTrace(r);
            assertTrue(r.err().contains("not an RVM log"), r.toString());
        }
    }

    @Test
    void aMissingStoreGetsOneLineAndExitThree() {
        for (String cmd : List.of("status", "verify", "dump", "stats", "recover", "truncate")) {
            Fixtures.Run r = run(cmd, dir.resolve("nowhere").toString());
            assertEquals(ExitCodes.NOT_A_STORE, r.exit(), cmd + ": " + r);
            assertOneLineNoTrace(r);
            assertFalse(Files.exists(dir.resolve("nowhere")), "a read or recover must not create a store");
        }
    }

    @Test
    void aBadSizeUnitGetsOneLineAndExitTwo() {
        Fixtures.Run r = run("create-log", "--size", "64Q", dir.resolve("s").toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertOneLineNoTrace(r);
        assertTrue(r.err().contains("bad size '64Q'"), r.toString());
        assertFalse(Files.exists(dir.resolve("s")));
    }

    @Test
    void anUnknownCommandGetsOneLineAndExitTwo() {
        Fixtures.Run r = run("frobnicate", dir.toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertOneLineNoTrace(r);
    }
}
