package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.it.lazy.LazySequence;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lazy one-phase commits in WildFly, SIGKILLed under load: clients take values of a sequence kept in RVM, each in
 * an RVM-only transaction on a connection factory with {@code lazyOnePhaseCommit}, so every acknowledgement comes
 * before its log force; the server is killed at a random moment and restarted. The recovered sequence must be a
 * prefix of what was acknowledged with nothing partial (its check value matches), and every value acknowledged
 * longer than the window before the kill must be there — the window being the adapter's {@code lazyFlushMillis}
 * (10 ms) plus one force of the shared disk, bounded here by {@code rvm.it.lazy.windowMillis} (default 1000 ms).
 * Runs on the crash server (port offset {@code rvm.it.crashPortOffset}), {@code rvm.it.lazy.cycles} times (3).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LazyCommitCrashIT {
    private static final String SERVER = "crash";
    private static final int CYCLES = Integer.getInteger("rvm.it.lazy.cycles", 3);
    private static final long WINDOW_MILLIS = Long.getLong("rvm.it.lazy.windowMillis", 1000);
    /** The adapter's lazyFlushMillis; a large value shows that the test fails when the window is not bounded. */
    private static final long FLUSH_MILLIS = Long.getLong("rvm.it.lazy.flushMillis", 10);
    private static final int CLIENTS = 4;
    private static final Path HOME = Path.of(System.getProperty("wildfly.crash.home", "."));
    private static final String BASE = "http://127.0.0.1:" + (8080 + Ports.CRASH_OFFSET) + "/rvm-lazy-probe/lazy/";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "lazy-rar", order = 1, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static ResourceAdapterArchive rar() {
        return Deployments.lazyRar(FLUSH_MILLIS);
    }

    @Deployment(name = "lazy-probe", order = 2, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static WebArchive probe() {
        return Deployments.lazyProbe();
    }

    /** An acknowledged value and when its answer arrived. */
    private record Ack(long seq, long atNanos) {
    }

    @Test
    void aKilledServerKeepsAPrefixOfTheLazyCommitsAndLosesNoneOlderThanTheWindow() throws Exception {
        Random random = new Random();
        controller.start(SERVER);
        try {
            deployer.deploy("lazy-rar");
            deployer.deploy("lazy-probe");
            long worstLostAgeMillis = 0;
            long acknowledged = 0;
            long lostTotal = 0;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                long start = awaitState()[0];
                ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    Thread t = new Thread(() -> load(acks, stop), "lazy-client-" + i);
                    t.start();
                    clients.add(t);
                }
                Thread.sleep(1000 + random.nextInt(2000));
                String[] counters = get("counters").split(" ");
                long killedAt = ServerProcess.kill(HOME);
                stop.set(true);
                for (Thread t : clients) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
                controller.kill(SERVER); // the process is gone already; this resets Arquillian's view of it
                controller.start(SERVER);

                long[] pair = awaitState();
                long recovered = pair[0];
                assertEquals(recovered == 0 ? 0 : LazySequence.check(recovered), pair[1], "cycle " + cycle + ": the pair " + pair[0] + " "
                        + pair[1] + " was written by one transaction; a partial one was recovered");
                long maxAcked = acks.stream().mapToLong(Ack::seq).max().orElse(start);
                assertTrue(acks.size() > 0, "cycle " + cycle + ": no value was acknowledged before the kill");
                assertTrue(recovered >= start, "cycle " + cycle + ": went back from " + start + " to " + recovered);
                assertTrue(recovered <= maxAcked + CLIENTS, "cycle " + cycle + ": recovered " + recovered
                        + ", more than acknowledged (" + maxAcked + ") plus the requests in flight");
                long lost = 0;
                for (Ack a : acks) {
                    if (a.seq() > recovered) {
                        lost++;
                        long ageMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - a.atNanos());
                        worstLostAgeMillis = Math.max(worstLostAgeMillis, ageMillis);
                        assertTrue(ageMillis <= WINDOW_MILLIS, "cycle " + cycle + ": value " + a.seq()
                                + " was acknowledged " + ageMillis + " ms before the kill and is lost (recovered "
                                + recovered + "); the window is " + WINDOW_MILLIS + " ms");
                    }
                }
                assertTrue(Long.parseLong(counters[0]) > 0 && Long.parseLong(counters[1]) == 0, "cycle " + cycle
                        + ": the commits were lazy (commitsNoFlush commitsFlush forces: " + String.join(" ", counters)
                        + ")");
                acknowledged += acks.size();
                lostTotal += lost;
                System.out.println("lazy cycle " + cycle + ": " + acks.size() + " values acknowledged (" + start + " to "
                        + maxAcked + "), recovered " + recovered + ", " + lost + " acknowledged and lost; before the"
                        + " kill commitsNoFlush commitsFlush forces = " + String.join(" ", counters));
            }
            System.out.println("lazy one-phase commits: " + CYCLES + " kills, " + acknowledged
                    + " acknowledged, " + lostTotal + " lost, the oldest lost acknowledged " + worstLostAgeMillis
                    + " ms before its kill (bound " + WINDOW_MILLIS + " ms)");
            deployer.undeploy("lazy-probe");
            deployer.undeploy("lazy-rar");
        } finally {
            controller.stop(SERVER);
        }
    }

    private static void load(ConcurrentLinkedQueue<Ack> acks, AtomicBoolean stop) {
        HttpRequest next = HttpRequest.newBuilder(URI.create(BASE + "next")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        while (!stop.get()) {
            try {
                HttpResponse<String> r = HTTP.send(next, HttpResponse.BodyHandlers.ofString());
                long at = System.nanoTime();
                if (r.statusCode() == 200) {
                    acks.add(new Ack(Long.parseLong(r.body().trim()), at));
                }
            } catch (IOException e) {
                return; // the server is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String get(String what) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + what))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().trim();
    }

    /** The committed pair, once the restarted server answers (within 120 s). */
    private static long[] awaitState() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "state"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    String[] f = r.body().trim().split(" ");
                    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the lazy probe did not answer within 120 s: " + last);
    }
}
