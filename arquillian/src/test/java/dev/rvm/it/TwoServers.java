package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.Property;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * Servers A and B of the two-server tests as the tests see them from outside: Arquillian's manual containers
 * {@code server-a} and {@code server-b}, each with the RAR, the two-server ledger EAR and both probes in its
 * {@code standalone/deployments} (so every boot, after a kill too, deploys them), its JVM, its recovery listener, its
 * transaction log and the ledger's REST API. Stateless apart from the constants; thread-safe.
 */
final class TwoServers {
    /** Server A: its ledger sends; its transaction manager coordinates. */
    static final Server A = new Server("server-a", "rvm-a", Path.of(System.getProperty("wildfly.a.home", ".")),
            Ports.A_OFFSET);
    /** Server B: its ledger receives in A's transaction, imported as a subordinate. */
    static final Server B = new Server("server-b", "rvm-b", Path.of(System.getProperty("wildfly.b.home", ".")),
            Ports.B_OFFSET);
    /** What both ledgers hold together at any time: eight accounts of 1000 on each server. */
    static final long TOTAL = 2 * LedgerClient.ACCOUNTS * LedgerClient.OPENING_BALANCE;

    private TwoServers() {
    }

    /** Starts B, then A, if not running (deploying the archives first), and waits for both ledgers. */
    static void start(ContainerController controller) throws Exception {
        for (Server s : List.of(B, A)) {
            if (!controller.isStarted(s.qualifier)) {
                s.install();
                controller.start(s.qualifier);
            }
            s.awaitLedger();
        }
    }

    /**
     * After {@code s}'s JVM halted or was killed: waits until it is gone, lets Arquillian know, starts it again and
     * waits for its ledger.
     */
    static void restart(ContainerController controller, Server s) throws Exception {
        s.awaitGone();
        // Arquillian may still see its process object alive for a moment; then its kill tries a management shutdown,
        // which fails on the closed port (RestartAndCrashIT waits a second for the same reason).
        for (int attempt = 1; ; attempt++) {
            Thread.sleep(1000);
            try {
                controller.kill(s.qualifier);
                break;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
        controller.start(s.qualifier);
        s.awaitLedger();
    }

    /** SIGKILLs {@code s}'s JVM (no shutdown hook runs) and waits until it is gone. */
    static void sigkill(Server s) throws Exception {
        s.process().destroyForcibly();
        s.awaitGone();
    }

    /**
     * Waits until both ledgers' balances can be read again, for at most {@code boundMillis}, and returns how long it
     * took: reading takes a shared lock on every account, so it waits while an account is locked by a transaction
     * that a dead server began (until that transaction's timeout) or by a branch in doubt (until its outcome).
     */
    static long awaitReadable(long boundMillis) throws Exception {
        long start = System.currentTimeMillis();
        String last = "";
        while (System.currentTimeMillis() - start < boundMillis) {
            boolean all = true;
            for (Server s : List.of(A, B)) {
                var r = s.client().get("rvm-ledger/api/accounts");
                if (r.statusCode() != 200) {
                    all = false;
                    last = s.node + ": " + r.statusCode() + " " + r.body();
                }
            }
            if (all) {
                return System.currentTimeMillis() - start;
            }
            Thread.sleep(500);
        }
        return fail("balances not readable within " + boundMillis + " ms: " + last);
    }

    /** Balances of both servers, by {@code account@node}. */
    static Map<String, Long> balances() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Server s : List.of(A, B)) {
            s.client().balances().forEach((k, v) -> out.put(k + "@" + s.node, v));
        }
        return out;
    }

    /**
     * Money is neither made nor lost across the two ledgers, and on each server every balance is its opening balance
     * plus what that server's audit trail says moved in and out of it (a row on A names B's account as
     * {@code account@rvm-b}, which is no account of A's, and the other way round).
     */
    static void assertConsistent() throws Exception {
        Map<String, Long> all = balances();
        assertEquals(2 * LedgerClient.ACCOUNTS, all.size(), all.toString());
        assertEquals(TOTAL, all.values().stream().mapToLong(Long::longValue).sum(), "sum over both ledgers " + all);
        for (Server s : List.of(A, B)) {
            Map<String, Long> balances = s.client().balances();
            LedgerClient.Audit audit = s.client().audit();
            for (Map.Entry<String, Long> e : balances.entrySet()) {
                assertEquals(LedgerClient.OPENING_BALANCE + audit.net().getOrDefault(e.getKey(), 0L), e.getValue(),
                        s.node + ": balance of " + e.getKey() + " vs its audit trail " + audit + ", balances "
                                + balances);
            }
        }
    }

    /**
     * Waits until nothing is in doubt on either server, for at most {@code boundMillis}, asking each server that still
     * has something in doubt (both at once) for a recovery scan through its recovery listener (instead of waiting for the periodic
     * pass, every 120 s by default), as WildFly's {@code RecoveryExecutor} does; returns how long it took for each
     * server ({@code A} and {@code B}), or fails with what was still in doubt.
     */
    static Map<String, Long> awaitNothingInDoubt(long boundMillis) throws Exception {
        long start = System.currentTimeMillis();
        Map<String, Long> took = new LinkedHashMap<>();
        Map<String, String> left = new ConcurrentHashMap<>();
        while (System.currentTimeMillis() - start < boundMillis) {
            left.clear();
            for (Server s : List.of(A, B)) {
                String d;
                try {
                    d = s.inDoubt();
                } catch (IOException | RuntimeException | AssertionError e) {
                    d = e.toString();
                }
                if (d.isEmpty()) {
                    took.putIfAbsent(s.node, System.currentTimeMillis() - start);
                } else {
                    took.remove(s.node);
                    left.put(s.node, d);
                }
            }
            if (left.isEmpty()) {
                return took;
            }
            // Both servers' scans at once: each takes a backoff period (10 s), and one server's outcome may wait
            // for the other's scan (A's recovery commits or rolls back B's branches).
            List<CompletableFuture<Void>> scans = new ArrayList<>();
            for (Server s : List.of(A, B)) {
                if (left.containsKey(s.node)) {
                    scans.add(CompletableFuture.runAsync(() -> {
                        try {
                            s.scan();
                        } catch (IOException e) {
                            left.computeIfPresent(s.node, (k, v) -> v + "; scan: " + e);
                        }
                    }, r -> new Thread(r, "recovery-scan-" + s.node).start()));
                }
            }
            CompletableFuture.allOf(scans.toArray(new CompletableFuture<?>[0])).join();
        }
        StringBuilder why = new StringBuilder("still in doubt after " + boundMillis + " ms: " + left);
        for (Server s : List.of(A, B)) {
            if (left.containsKey(s.node)) {
                why.append('\n').append(s.node).append("'s last transaction warnings:\n")
                        .append(s.transactionWarnings(12));
                for (String file : s.ejbXaRecovery()) {
                    why.append('\n').append(s.node).append("'s log of ejb-xa-recovery file ").append(file)
                            .append(":\n").append(s.logLines(l -> l.contains(file), 12));
                }
            }
        }
        return fail(why.toString());
    }

    /**
     * One of the two servers.
     *
     * @param qualifier the Arquillian container
     * @param node its {@code jboss.node.name} and transaction node identifier
     * @param home its {@code jboss.home.dir}
     * @param offset its port offset
     */
    record Server(String qualifier, String node, Path home, int offset) {

        LedgerClient client() {
            return new LedgerClient(8080 + offset);
        }

        int managementPort() {
            return 9990 + offset;
        }

        Path log() {
            return home.resolve("standalone/log/server.log");
        }

        /** The file the two-server probe writes when it blocks at the chosen point ({@code BlockPoint}). */
        Path blockMarker() {
            return home.resolve("standalone/data/rvm-probe-blocked");
        }

        /** Writes the RAR, the ledger and the probes into {@code standalone/deployments} if they are not there. */
        void install() throws IOException {
            Path dir = home.resolve("standalone/deployments");
            for (Archive<?> a : List.<Archive<?>>of(Deployments.rar(), Deployments.twoServersEar(),
                    Deployments.probe(), Deployments.twoServerProbe())) {
                Path f = dir.resolve(a.getName());
                if (!Files.exists(f)) {
                    a.as(ZipExporter.class).exportTo(f.toFile(), true);
                }
            }
        }

        /**
         * Waits up to 120 s for the ledger and the probe to be deployed: the statistics answer (they lock nothing,
         * unlike the balances, which wait for a branch in doubt until its outcome comes from the other server) and
         * the probe's servlet is there.
         */
        void awaitLedger() throws Exception {
            long deadline = System.currentTimeMillis() + 120_000;
            Exception last = null;
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (client().get("rvm-ledger/api/stats").statusCode() == 200
                            && client().get("rvm-two-probe/two/none").statusCode() == 405) {
                        return;
                    }
                } catch (IOException e) {
                    last = e;
                }
                Thread.sleep(250);
            }
            fail(node + ": no ledger within 120 s: " + last);
        }

        /** Waits up to 60 s until the JVM is gone and its management port is closed. */
        void awaitGone() throws Exception {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (processes().isEmpty()) {
                    try {
                        new Socket("127.0.0.1", managementPort()).close();
                    } catch (IOException refused) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            fail(node + " still runs 60 s after its halt or kill");
        }

        /** The server's JVM, a descendant of this one started by Arquillian. */
        ProcessHandle process() {
            List<ProcessHandle> found = processes();
            assertEquals(1, found.size(), node + ": one server process: " + found);
            return found.get(0);
        }

        private List<ProcessHandle> processes() {
            String arg = "-Djboss.home.dir=" + home;
            return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(arg)).orElse(false))
                    .collect(Collectors.toList());
        }

        /**
         * One recovery scan through the transaction manager's recovery listener (enabled by two-servers.cli;
         * socket {@code txn-recovery-environment}, 4712 plus the offset): the line {@code SCAN}, answered
         * {@code DONE} when the scan has run — what WildFly's tests do with Narayana's {@code RecoveryDriver}, and
         * the quickstart with telnet.
         */
        void scan() throws IOException {
            try (Socket s = new Socket("127.0.0.1", 4712 + offset)) {
                s.setSoTimeout(120_000);
                OutputStream out = s.getOutputStream();
                out.write("SCAN\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (!"DONE".equals(answer)) {
                    throw new IOException(node + ": recovery listener answered " + answer);
                }
            }
        }

        /**
         * What is in doubt here, empty if nothing: RVM's prepared branches without an outcome, the audit database's,
         * the files of WildFly's transaction client for branches on the other server ({@code data/ejb-xa-recovery}),
         * and the transactions of the transaction log (any heuristic participant named).
         */
        String inDoubt() throws Exception {
            List<String> out = new ArrayList<>();
            long rvm = client().stats().get("inDoubt");
            if (rvm != 0) {
                out.add("RVM " + rvm);
            }
            long db = client().databaseInDoubt();
            if (db != 0) {
                out.add("database " + db);
            }
            List<String> wftc = ejbXaRecovery();
            if (!wftc.isEmpty()) {
                out.add("ejb-xa-recovery " + wftc);
            }
            String log = transactionLog();
            if (!log.isEmpty()) {
                out.add("log-store " + log);
            }
            return String.join(", ", out);
        }

        /**
         * The last {@code n} warnings and errors of the transaction manager and the adapter in the server's log, what
         * a failed wait for nothing in doubt prints (the build's output may be all there is to read afterwards).
         */
        String transactionWarnings(int n) {
            return logLines(l -> (l.contains(" WARN ") || l.contains(" ERROR "))
                    && (l.contains("com.arjuna") || l.contains("dev.rvm") || l.contains("wildfly.transaction"))
                    && !l.contains("ARJUNA016037") && !l.contains("ARJUNA012035"), n);
        }

        /**
         * The last {@code n} lines of the server's log that {@code wanted} accepts (the transaction client's TRACE
         * lines about its ejb-xa-recovery files are there: two-servers-it.cli).
         */
        String logLines(Predicate<String> wanted, int n) {
            try (Stream<String> lines = Files.lines(log(), StandardCharsets.UTF_8)) {
                List<String> found = lines.filter(wanted).collect(Collectors.toList());
                return found.subList(Math.max(0, found.size() - n), found.size()).stream()
                        .map(l -> l.length() > 600 ? l.substring(0, 600) + "..." : l)
                        .collect(Collectors.joining("\n"));
            } catch (IOException | UncheckedIOException e) {
                return "(log not readable: " + e + ")";
            }
        }

        /** The files of {@code standalone/data/ejb-xa-recovery}. */
        List<String> ejbXaRecovery() throws IOException {
            Path dir = home.resolve("standalone/data/ejb-xa-recovery");
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            }
        }

        /**
         * The transactions in the transaction manager's log after a {@code probe} of
         * {@code /subsystem=transactions/log-store=log-store}, each with its participants' statuses; empty if none.
         */
        String transactionLog() throws Exception {
            ModelNode address = new ModelNode().add("subsystem", "transactions").add("log-store", "log-store");
            try (ModelControllerClient mgmt = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                    managementPort())) {
                execute(mgmt, address, "probe");
                ModelNode op = new ModelNode();
                op.get("operation").set("read-children-resources");
                op.get("address").set(address);
                op.get("child-type").set("transactions");
                op.get("recursive").set(true);
                op.get("include-runtime").set(true);
                ModelNode txs = success(mgmt.execute(op));
                if (!txs.isDefined()) {
                    return "";
                }
                List<String> out = new ArrayList<>();
                for (Property tx : txs.asPropertyList()) {
                    List<String> statuses = new ArrayList<>();
                    ModelNode participants = tx.getValue().get("participants");
                    if (participants.isDefined()) {
                        for (Property p : participants.asPropertyList()) {
                            ModelNode v = p.getValue();
                            statuses.add(v.get("status").asString() + " " + v.get("jndi-name").asString());
                        }
                    }
                    out.add(tx.getValue().get("type").asString() + " " + statuses);
                }
                return String.join("; ", out);
            }
        }

        /**
         * The replicated adapter's statistic {@code name} ({@code RvmStatisticsPlugin}) as WildFly's management model
         * shows it for {@code java:/eis/rvm-replicated}, with {@code read-attribute} as rvm-ra/README.md documents.
         */
        long replicaStatistic(String name) throws IOException {
            ModelNode op = new ModelNode();
            op.get("operation").set("read-attribute");
            op.get("address").set(new ModelNode().add("deployment", Deployments.REPLICATED_RAR)
                    .add("subsystem", "resource-adapters").add("ironjacamar", "ironjacamar")
                    .add("resource-adapter", Deployments.REPLICATED_RAR)
                    .add("connection-definitions", "java:/eis/rvm-replicated").add("statistics", "extended"));
            op.get("name").set(name);
            try (ModelControllerClient mgmt = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                    managementPort())) {
                return success(mgmt.execute(op)).asLong();
            }
        }

        private static void execute(ModelControllerClient mgmt, ModelNode address, String name) throws IOException {
            ModelNode op = new ModelNode();
            op.get("operation").set(name);
            op.get("address").set(address);
            success(mgmt.execute(op));
        }

        private static ModelNode success(ModelNode result) {
            if (!"success".equals(result.get("outcome").asString())) {
                throw new UncheckedIOException(new IOException("management operation failed: " + result));
            }
            return result.get("result");
        }
    }
}
