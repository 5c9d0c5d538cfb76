package dev.rvm.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private static final String[] PATHS = {"--wildfly=/w", "--archives=/a", "--postgres=/p"};

    private static BenchOptions parse(String... more) {
        String[] args = new String[PATHS.length + more.length];
        System.arraycopy(PATHS, 0, args, 0, PATHS.length);
        System.arraycopy(more, 0, args, PATHS.length, more.length);
        return BenchOptions.parse(args);
    }

    @Test
    void defaultsRunEveryCaseOnBothDatabasesAtTheIssuesClientCounts() {
        BenchOptions o = parse();
        assertEquals(List.of(1, 4, 16, 64), o.clients());
        assertEquals(List.of("none", "rvm", "rvm-lazy", "rvm+audit", "db", "db+audit", "noop+audit"), o.cases());
        assertEquals(List.of("h2", "pg"), o.dbs());
        assertEquals(50_000, o.portOffset());
        assertFalse(o.txJournal());
        assertEquals("", o.profile());
        assertEquals(List.of("rvm"), o.profileCases());
        assertFalse(o.twoServers());
    }

    @Test
    void namingARemoteCaseSelectsTwoServersAndNoDatabase() {
        BenchOptions o = parse("--cases=none,rvm,rvm-remote,remote-none", "--dbs=", "--two-servers-cli=/t.cli");
        assertTrue(o.twoServers());
        assertEquals(List.of("none", "rvm", "rvm-remote", "remote-none"), o.cases());
        assertFalse(BenchOptions.usesDatabase("rvm-remote"));
        assertFalse(BenchOptions.usesDatabase("remote-none"));
        assertEquals(50_100, o.peerPortOffset());
    }

    @Test
    void twoServersNeedTheirScriptAndTwoPortOffsets() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cases=rvm-remote")).getMessage()
                .contains("--two-servers-cli"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cases=remote-none",
                "--two-servers-cli=/t.cli", "--port-offset=30000", "--peer-port-offset=30000")).getMessage()
                .contains("--peer-port-offset"));
        assertFalse(parse("--cases=rvm", "--port-offset=30000", "--peer-port-offset=30000").twoServers());
    }

    @Test
    void theLazyCaseKeepsItsDashAndUsesNoDatabase() {
        BenchOptions o = parse("--cases=rvm-lazy,rvm-audit", "--dbs=pg");
        assertEquals(List.of("rvm-lazy", "rvm+audit"), o.cases());
        assertFalse(BenchOptions.usesDatabase("rvm-lazy"));
        assertEquals(List.of("pg"), o.databasesFor("rvm-lazy"));
    }

    @Test
    void theProfileIsCpuWallOrNothing() {
        assertEquals("cpu", parse("--profile=cpu").profile());
        assertEquals("", parse("--profile=").profile());
        assertEquals(List.of("none", "rvm"), parse("--profile=wall", "--profile-cases=none,rvm").profileCases());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--profile=alloc")).getMessage()
                .contains("--profile"));
    }

    @Test
    void aDashStandsForThePlusOfACaseName() {
        assertEquals(List.of("rvm+audit", "db+audit"), parse("--cases=rvm-audit,db-audit").cases());
    }

    @Test
    void anUnknownCaseIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--cases=rvm,dbx"));
        assertTrue(e.getMessage().contains("'dbx'"), e.getMessage());
    }

    @Test
    void databaseCasesWithoutADatabaseAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--dbs=", "--cases=db"));
        assertTrue(e.getMessage().contains("--dbs"), e.getMessage());
    }

    @Test
    void theCasesWithoutADatabaseRunOnceAndTheOthersOnEveryDatabase() {
        BenchOptions o = parse("--dbs=pg,h2");
        assertEquals(List.of("pg"), o.databasesFor("rvm"));
        assertEquals(List.of("pg"), o.databasesFor("none"));
        assertEquals(List.of("pg", "h2"), o.databasesFor("db+audit"));
        assertEquals(List.of("h2"), parse("--dbs=", "--cases=rvm").databasesFor("rvm"));
    }

    @Test
    void aZeroOrNonNumericCountIsRejectedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--clients=4,0")).getMessage()
                .contains("--clients"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--seconds=ten")).getMessage()
                .contains("--seconds"));
    }

    @Test
    void aMissingPathIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--wildfly=/w", "--archives=/a"}));
        assertTrue(e.getMessage().contains("--postgres"), e.getMessage());
    }
}
