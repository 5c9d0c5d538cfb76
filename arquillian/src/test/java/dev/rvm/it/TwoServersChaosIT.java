package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGKILL under load across the two servers: each cycle, client threads post transfers between random accounts of
 * A and B in both directions (each through the EJB or the CDI entry point, chosen at random), and a random 0.5–4 s
 * after the cycle's first acknowledged transfer one of the two servers, chosen at random, gets SIGKILL and is
 * restarted on its kept data directory. After
 * each cycle, within {@link TwoServersCrashIT#IN_DOUBT_BOUND_MILLIS}, nothing is in doubt on either server; then the
 * sum over both ledgers is the opening total, each server's balances match its audit trail, every transfer that was
 * acknowledged (200) has its audit row on both servers, and every transfer has its row on both servers or on
 * neither. Prints cycles, acknowledged transfers checked, and the worst time to nothing in doubt on each server.
 *
 * <p>Properties: {@code rvm.it.twoChaos.cycles} (10), {@code rvm.it.twoChaos.seed} (random; printed).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TwoServersChaosIT {
    private static final int CYCLES = Integer.getInteger("rvm.it.twoChaos.cycles", 10);
    private static final int CLIENTS = 4;
    private static final List<String> ACCOUNTS =
            List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    @ArquillianResource
    private ContainerController controller;

    @Test
    void eitherServerKilledAtRandomLosesNothingAcknowledgedAndKeepsBothLedgersWhole() throws Exception {
        long seed = Long.getLong("rvm.it.twoChaos.seed", System.nanoTime());
        System.out.println("two-server chaos: " + CYCLES + " cycles, seed " + seed);
        Random random = new Random(seed);
        TwoServers.start(controller);
        TwoServers.awaitNothingInDoubt(TwoServersCrashIT.IN_DOUBT_BOUND_MILLIS);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, Long> worst = new HashMap<>();
        int[] kills = new int[2];

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            TwoServers.Server victim = random.nextBoolean() ? TwoServers.A : TwoServers.B;
            long loadMillis = 500 + random.nextInt(3500);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Random r = new Random(random.nextLong());
                String prefix = "c" + cycle + "-" + c + "-";
                Thread t = new Thread(() -> load(r, prefix, stop, acknowledged), "two-chaos-" + prefix);
                t.start();
                clients.add(t);
            }
            // The kill comes a random time after the cycle's first acknowledged transfer, so that there is work in
            // flight to lose (a boot under load can take a minute, and the first transfers after it are slow).
            int before = acknowledged.size();
            long firstWait = System.currentTimeMillis() + 120_000;
            while (acknowledged.size() == before && System.currentTimeMillis() < firstWait) {
                Thread.sleep(50);
            }
            Thread.sleep(loadMillis);
            TwoServers.sigkill(victim);
            kills[victim == TwoServers.A ? 0 : 1]++;
            stop.set(true);
            for (Thread t : clients) {
                t.join(120_000);
            }
            TwoServers.restart(controller, victim);
            Map<String, Long> took = TwoServers.awaitNothingInDoubt(TwoServersCrashIT.IN_DOUBT_BOUND_MILLIS);
            took.forEach((node, ms) -> worst.merge(node, ms, Math::max));
            long readable = TwoServers.awaitReadable(TwoServersCrashIT.LOCK_BOUND_MILLIS);
            worst.merge("readable", readable, Math::max);
            check(cycle, acknowledged);
            System.out.println("cycle " + cycle + ": killed " + victim.node() + " after " + loadMillis
                    + " ms of acknowledged load; nothing in doubt after (ms) " + took + ", balances readable after "
                    + readable + " ms more; acknowledged so far " + acknowledged.size());
        }
        System.out.println("two-server chaos: " + CYCLES + " cycles (A killed " + kills[0] + ", B killed " + kills[1]
                + "), " + acknowledged.size() + " acknowledged transfers checked, worst time to nothing in doubt "
                + "after the restart (ms, and the worst wait for readable balances after that): " + worst
                + ", seed " + seed);
    }

    /** Posts transfers until stopped, one at a time; adds the memo of each acknowledged one. */
    private static void load(Random r, String prefix, AtomicBoolean stop, Set<String> acknowledged) {
        int n = 0;
        while (!stop.get()) {
            boolean fromA = r.nextInt(3) != 0;
            LedgerClient sender = (fromA ? TwoServers.A : TwoServers.B).client();
            String memo = prefix + n++;
            try {
                HttpResponse<String> resp = sender.peerTransfer(ACCOUNTS.get(r.nextInt(ACCOUNTS.size())),
                        ACCOUNTS.get(r.nextInt(ACCOUNTS.size())), 1 + r.nextInt(20), memo,
                        r.nextBoolean() ? "ejb" : "cdi");
                if (resp.statusCode() == 200) {
                    acknowledged.add(memo);
                }
            } catch (IOException e) {
                sleep(200); // the server is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void check(int cycle, Set<String> acknowledged) throws Exception {
        TwoServers.assertConsistent();
        Set<String> onA = chaosMemos(TwoServers.A);
        Set<String> onB = chaosMemos(TwoServers.B);
        Set<String> missing = new TreeSet<>(acknowledged);
        missing.removeIf(m -> onA.contains(m) && onB.contains(m));
        assertTrue(missing.isEmpty(), "cycle " + cycle + ": acknowledged but not on both servers: " + missing);
        Set<String> onlyA = new TreeSet<>(onA);
        onlyA.removeAll(onB);
        Set<String> onlyB = new TreeSet<>(onB);
        onlyB.removeAll(onA);
        assertEquals(Set.of(), onlyA, "cycle " + cycle + ": transfers with their audit row on A only");
        assertEquals(Set.of(), onlyB, "cycle " + cycle + ": transfers with their audit row on B only");
    }

    /** The memos of the chaos transfers in a server's audit trail (each must appear once). */
    private static Set<String> chaosMemos(TwoServers.Server s) throws Exception {
        List<String> memos = Arrays.stream(s.client().probeGet("audit-memos").split("\n"))
                .filter(m -> m.matches("c\\d+-\\d+-\\d+")).collect(Collectors.toList());
        Set<String> unique = new TreeSet<>(memos);
        assertEquals(memos.size(), unique.size(), s.node() + ": a transfer with two audit rows");
        return unique;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
