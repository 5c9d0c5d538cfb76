package dev.rvm.ra.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RestoreMode;
import dev.rvm.core.RvmException;
import dev.rvm.core.Transaction;
import dev.rvm.ra.RvmConnection;
import dev.rvm.ra.RvmConnectionFactory;
import dev.rvm.ra.testing.Xids;
import dev.rvm.replication.Replica;
import dev.rvm.replication.ReplicaConfig;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongPredicate;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adapter running its store as one member of a group replicated on Apache Ratis: two adapters (as two servers
 * would run them) and a witness, three real Ratis servers on loopback in this JVM. Only the leader's adapter gives
 * connections, the other refuses naming the leader; when the leader's adapter stops (an undeploy, or its server
 * going away) the other takes over with every committed transaction and every branch in doubt, still in doubt and
 * still holding its ranges; the stopped adapter leaves no Ratis thread behind and, started again, rejoins as a
 * follower. Along the way the leader's statistics show how far the other members are behind: none, then the stopped
 * one (behind and silent), then none again once it has caught up.
 */
class ReplicatedAdapterTest {
    private static final long WAIT_MILLIS = 30_000;

    @TempDir
    Path dir;
    private final UUID group = UUID.randomUUID();
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final List<FakeBootstrapContext> contexts = new ArrayList<>();
    private final List<RvmResourceAdapter> adapters = new ArrayList<>();
    private Replica witness;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String peersProperty() {
        StringBuilder b = new StringBuilder();
        peers.forEach((id, address) -> b.append(b.length() == 0 ? "" : ",").append(id).append('=').append(address));
        return b.toString();
    }

    private RvmResourceAdapter member(String id) throws ResourceAdapterInternalException {
        return member(id, "accounts:accounts:0:8192");
    }

    private RvmResourceAdapter member(String id, String regions) throws ResourceAdapterInternalException {
        RvmResourceAdapter a = new RvmResourceAdapter();
        a.setStoreDirectory(dir.resolve(id).toString());
        a.setLogSize(1L << 20);
        a.setRegions(regions);
        a.setLockTimeoutMillis(300L);
        a.setReplicaGroup(group.toString());
        a.setReplicaMemberId(id);
        a.setReplicaPeers(peersProperty());
        a.setReplicaWitnesses("w");
        FakeBootstrapContext ctx = new FakeBootstrapContext();
        contexts.add(ctx);
        a.start(ctx);
        adapters.add(a);
        return a;
    }

    private void startGroup() throws IOException {
        for (String id : List.of("a", "b", "w")) {
            peers.put(id, "127.0.0.1:" + freePort());
        }
        witness = Replica.start(ReplicaConfig.builder("w", peers, group, dir.resolve("w")).logSize(1L << 20)
                .witnesses(Set.of("w")).build());
    }

    private static ManagedConnection connection(RvmResourceAdapter ra) throws ResourceException {
        RvmManagedConnectionFactory f = new RvmManagedConnectionFactory();
        f.setResourceAdapter(ra);
        return f.createManagedConnection(null, null);
    }

    private static StatisticsPlugin statistics(RvmResourceAdapter ra) throws ResourceException {
        RvmManagedConnectionFactory f = new RvmManagedConnectionFactory();
        f.setResourceAdapter(ra);
        return f.getStatistics();
    }

    /** The adapter of {@code candidates} that gives connections first, waiting for an election. */
    private static RvmResourceAdapter awaitLeader(RvmResourceAdapter... candidates) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            for (RvmResourceAdapter a : candidates) {
                try {
                    a.store();
                    return a;
                } catch (ResourceException notYet) {
                    // a follower, or no leader elected yet
                }
            }
            Thread.sleep(20);
        }
        fail("no adapter became the leader within " + WAIT_MILLIS + " ms");
        return null;
    }

    /** Polls {@code ra}'s gauge {@code name} until {@code wanted} accepts it; returns the value. */
    private static long awaitGauge(RvmResourceAdapter ra, String name, LongPredicate wanted)
            throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        long v = (Long) statistics(ra).getValue(name);
        while (!wanted.test(v)) {
            if (System.currentTimeMillis() > deadline) {
                fail(name + " is still " + v + " after " + WAIT_MILLIS + " ms");
            }
            Thread.sleep(20);
            v = (Long) statistics(ra).getValue(name);
        }
        return v;
    }

    private static List<String> ratisThreadsOf(String member) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(member + "@")).toList();
    }

    @AfterEach
    void stopAll() throws IOException {
        adapters.forEach(RvmResourceAdapter::stop);
        contexts.forEach(FakeBootstrapContext::close);
        if (witness != null) {
            witness.close();
        }
    }

    @Test
    void onlyTheLeaderGivesConnectionsAndAFollowerTakesOverWithEveryCommitAndBranchInDoubt() throws Exception {
        startGroup();
        RvmResourceAdapter a = member("a");
        RvmResourceAdapter b = member("b");
        RvmResourceAdapter leader = awaitLeader(a, b);
        RvmResourceAdapter follower = leader == a ? b : a;
        String leaderId = leader == a ? "a" : "b";
        String followerId = leader == a ? "b" : "a";

        assertEquals(2L, statistics(leader).getValue("ReplicaRole"));
        assertEquals(1L, statistics(follower).getValue("ReplicaRole"));
        assertTrue((Long) statistics(follower).getValue("ReplicaTerm") >= 1);
        // The transaction manager's recovery opens a managed connection on every server: on the follower its XA
        // resource has nothing to recover and refuses everything else; a connection handle is refused naming the
        // leader.
        ManagedConnection fmc = connection(follower);
        assertEquals(0, fmc.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        Xids.assertXa(XAException.XAER_RMFAIL, () -> fmc.getXAResource().start(Xids.xid("f"), XAResource.TMNOFLAGS));
        ResourceException refused = assertThrows(ResourceException.class, () -> fmc.getConnection(null, null));
        assertTrue(refused.getMessage().contains("RVM000136") && refused.getMessage().contains("NOT_LEADER")
                && refused.getMessage().contains("the leader is " + leaderId), refused.getMessage());
        // The application's connection factory refuses before the container's pool sees the request.
        RvmManagedConnectionFactory f = new RvmManagedConnectionFactory();
        f.setResourceAdapter(follower);
        RvmConnectionFactory cf = (RvmConnectionFactory) f.createConnectionFactory((factory, info) -> {
            throw new AssertionError("the pool was asked for a connection of a follower");
        });
        ResourceException fromFactory = assertThrows(ResourceException.class, cf::getConnection);
        assertTrue(fromFactory.getMessage().contains("the leader is " + leaderId), fromFactory.getMessage());

        // On the leader: 50 one-phase XA commits, then one branch prepared and left in doubt.
        ManagedConnection mc = connection(leader);
        XAResource xa = mc.getXAResource();
        try (RvmConnection c = (RvmConnection) mc.getConnection(null, null)) {
            Region r = c.region("accounts");
            for (int i = 1; i <= 50; i++) {
                Xid x = Xids.xid("tx-" + i);
                xa.start(x, XAResource.TMNOFLAGS);
                c.setRange(r, 0, 8);
                r.putLong(0, i);
                xa.end(x, XAResource.TMSUCCESS);
                xa.commit(x, true);
            }
            Xid x = Xids.xid("in-doubt");
            xa.start(x, XAResource.TMNOFLAGS);
            c.setRange(r, 8, 8);
            r.putLong(8, 4242);
            xa.end(x, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, xa.prepare(x));
        }
        // The group's progress as the leader's own Ratis server knows it: both other members hold every entry; a
        // follower knows the commit index but nothing of the others.
        StatisticsPlugin ls = statistics(leader);
        awaitGauge(leader, "ReplicaFollowerLagMax", v -> v == 0);
        assertEquals(0L, ls.getValue("ReplicaMembersBehind"));
        long committed = (Long) ls.getValue("ReplicaCommitIndex");
        assertTrue(committed >= 51, "51 transactions and branches committed, index " + committed);
        awaitGauge(follower, "ReplicaCommitIndex", v -> v == committed);
        for (String name : List.of("ReplicaFollowerLagMax", "ReplicaMembersBehind", "ReplicaFollowerSilenceMillisMax")) {
            assertEquals(-1L, statistics(follower).getValue(name), name + " on a follower");
        }

        // The leader's adapter stops: the follower is elected (with the witness's vote) and takes over.
        leader.stop();
        assertEquals(List.of(), ratisThreadsOf(leaderId), "Ratis threads left running after the adapter stopped");
        assertEquals(follower, awaitLeader(follower));
        Region r = follower.store().region("accounts");
        assertEquals(50, r.getLong(0), "every committed transaction is on the new leader");
        Xid inDoubt = Xids.xid("in-doubt");
        XAResource xa2 = connection(follower).getXAResource();
        List<Xid> listed = List.of(xa2.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        assertEquals(1, listed.size(), "the prepared branch is listed in doubt on the new leader: " + listed);
        // Still in doubt and still holding its range: nothing presumed it aborted.
        Transaction t = follower.store().memory().begin(RestoreMode.RESTORE);
        RvmException locked = assertThrows(RvmException.class, () -> t.setRange(r, 8, 8));
        assertEquals(ErrorCode.LOCK_TIMEOUT, locked.code());
        t.abort();
        // The new leader counts the stopped member behind (it never answered this leader) and silent.
        awaitGauge(follower, "ReplicaMembersBehind", v -> v == 1);
        long lag = (Long) statistics(follower).getValue("ReplicaFollowerLagMax");
        assertTrue(lag >= committed, "the stopped member's lag " + lag + " on the new leader at index "
                + statistics(follower).getValue("ReplicaCommitIndex"));
        awaitGauge(follower, "ReplicaFollowerSilenceMillisMax", v -> v >= 1000);

        // The stopped adapter, started again (a redeploy), rejoins as a follower and names the new leader.
        RvmResourceAdapter again = member(leaderId);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        String message = "";
        while (!message.contains("the leader is " + followerId) && System.currentTimeMillis() < deadline) {
            message = assertThrows(ResourceException.class, () -> connection(again).getConnection(null, null))
                    .getMessage();
            Thread.sleep(20);
        }
        assertTrue(message.contains("the leader is " + followerId), message);
        awaitGauge(follower, "ReplicaMembersBehind", v -> v == 0);
        awaitGauge(follower, "ReplicaFollowerLagMax", v -> v == 0);
        awaitGauge(follower, "ReplicaFollowerSilenceMillisMax", v -> v < 1000);

        // The coordinator's decision comes to the new leader; the bytes follow it.
        xa2.commit(inDoubt, false);
        assertEquals(4242, r.getLong(8));
        assertEquals(List.of(), List.of(xa2.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)));
    }

    /**
     * A member configured with regions larger than the group's segments (which the first leader created) is elected
     * and then cannot map them: its connections are refused saying that (RVM000140, naming the segment and the sizes),
     * not that it is a replica that does not lead (RVM000136).
     */
    @Test
    void aLeaderWhoseRegionsDoNotFitTheGroupsSegmentsSaysSoRatherThanThatItDoesNotLead() throws Exception {
        startGroup();
        RvmResourceAdapter a = member("a");
        assertEquals(a, awaitLeader(a)); // with the witness's vote; it creates the segment, 8192 bytes
        RvmResourceAdapter b = member("b", "accounts:accounts:0:16384");
        awaitGauge(a, "ReplicaMembersBehind", v -> v == 0);
        awaitGauge(a, "ReplicaFollowerLagMax", v -> v == 0);
        a.stop(); // b is elected with the witness's vote
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        String message = "";
        while (!message.contains("RVM000140") && System.currentTimeMillis() < deadline) {
            message = assertThrows(ResourceException.class, b::store).getMessage();
            Thread.sleep(20);
        }
        assertTrue(message.contains("RVM000140") && message.contains("member b leads")
                && message.contains("segment 'accounts' has 8192 bytes, the regions need 16384")
                && !message.contains("RVM000136"), message);
        assertEquals(2L, statistics(b).getValue("ReplicaRole"), "b leads");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "replicaGroup|not-a-uuid|a|a=h:1,b=h:2,w=h:3|w",
        "replicaGroup||a|a=h:1,b=h:2,w=h:3|w",
        "replicaPeers|00000000-0000-0000-0000-000000000001|a|a=h:1,b=h:2|",
        "replicaPeers|00000000-0000-0000-0000-000000000001|a|a=h:1,b=h,w=h:3|w",
        "replicaPeers|00000000-0000-0000-0000-000000000001|a|a=h:1,a=h:2,w=h:3|w",
        "replicaMemberId|00000000-0000-0000-0000-000000000001|c|a=h:1,b=h:2,w=h:3|w",
        "replicaWitnesses|00000000-0000-0000-0000-000000000001|a|a=h:1,b=h:2,w=h:3|x",
        "replicaWitnesses|00000000-0000-0000-0000-000000000001|a|a=h:1,b=h:2,w=h:3|a"})
    void invalidReplicationSettingsFailStartNamingTheProperty(String property, String groupId, String id,
                                                             String members, String witnesses) {
        RvmResourceAdapter a = new RvmResourceAdapter();
        a.setStoreDirectory(dir.toString());
        a.setReplicaGroup(groupId);
        a.setReplicaMemberId(id);
        a.setReplicaPeers(members);
        a.setReplicaWitnesses(witnesses);
        FakeBootstrapContext ctx = new FakeBootstrapContext();
        contexts.add(ctx);
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> a.start(ctx));
        assertTrue(e.getMessage().contains("RVM000102") && e.getMessage().contains(property), e.getMessage());
    }
}
