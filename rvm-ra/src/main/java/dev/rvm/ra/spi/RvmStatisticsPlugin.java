package dev.rvm.ra.spi;

import dev.rvm.core.Statistics;
import dev.rvm.ra.internal.GroupMember;
import dev.rvm.ra.internal.Store;
import dev.rvm.replication.GroupProgress;
import dev.rvm.replication.Replica;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * RVM's counters for IronJacamar's statistics SPI, which WildFly publishes in its management model as the
 * connection definition's {@code statistics=extended} child. Activated in the resource-adapters subsystem by
 * {@code rvm-ra.cli}, the CLI address is
 * {@code /subsystem=resource-adapters/resource-adapter=rvm/connection-definitions=RvmPool/statistics=extended}
 * (a real resource: {@code read-resource} works). For the RAR deployed as {@code rvm-ra.rar} with its own
 * {@code ironjacamar.xml}, it is
 * {@code /deployment=rvm-ra.rar/subsystem=resource-adapters/ironjacamar=ironjacamar/resource-adapter=rvm-ra.rar/connection-definitions=java\:\/eis\/rvm/statistics=extended}
 * ({@code read-attribute} and {@code read-resource-description} only; see rvm-ra/README.md).
 *
 * <p>Every value is a {@code long} and its type is {@code long.class}: WildFly types an attribute {@code LONG} only
 * for the primitive class (for {@code Long.class} it makes it a {@code STRING}, which its metrics exporters skip).
 * Values are read from the store's {@link Statistics} at each call; {@link #clear()} rebases the cumulative
 * counters to zero (the core's own counters are never reset); gauges are not rebased. Without a started store every
 * value is 0. The {@code Replica*} gauges show the store's member of a replicated group (its role, term, applied and
 * committed index) and, on the leader, how far the other members are behind (the most entries any lags, how many
 * lack a committed entry, the longest time since one answered), read from the member's own Ratis server when asked
 * (no network call); {@code -1} for a store of its own, and for the lag gauges on a follower.
 *
 * <p>Thread-safe.
 */
public final class RvmStatisticsPlugin implements StatisticsPlugin {
    private static final long serialVersionUID = 1L;

    private static final Map<String, Stat> STATS = new LinkedHashMap<>();
    private static final Map<String, MemberStat> MEMBER = new LinkedHashMap<>();

    static {
        cumulative("Commits", "Transactions and branches committed (one-phase FLUSH and NO_FLUSH, and prepared)",
                s -> s.commitsFlush() + s.commitsNoFlush() + s.commitsPrepared());
        cumulative("CommitsFlush", "Transactions committed with FLUSH, one-phase XA commits included",
                Statistics::commitsFlush);
        cumulative("CommitsNoFlush", "Transactions committed with NO_FLUSH", Statistics::commitsNoFlush);
        cumulative("CommitsPrepared", "Prepared branches committed (second phase)", Statistics::commitsPrepared);
        cumulative("Aborts", "Transactions and branches rolled back", Statistics::aborts);
        cumulative("RollbacksPrepared", "Prepared branches rolled back (second phase)", Statistics::rollbacksPrepared);
        cumulative("Prepares", "Branches prepared (read-only votes excluded)", Statistics::prepares);
        cumulative("ReadOnlyPrepares", "Branches that voted read-only", Statistics::readOnlyPrepares);
        gauge("InDoubt", "Branches prepared and awaiting the transaction manager's outcome", Statistics::inDoubt);
        gauge("OldestInDoubtMillis", "How long the oldest branch in doubt has been waiting for its outcome (0: none)",
                Statistics::oldestInDoubtMillis);
        gauge("OldestUnforcedCommitMillis", "How long ago the oldest NO_FLUSH (lazy) commit not yet durable was made"
                + " (0: every commit is durable); what a crash now could take", Statistics::oldestUnforcedCommitMillis);
        cumulative("Forces", "Log forces", Statistics::forces);
        cumulative("RecordsWritten", "Log records written", Statistics::recordsWritten);
        cumulative("BytesLogged", "Bytes appended to the log, framing included", Statistics::bytesLogged);
        cumulative("BytesSavedIntra", "Bytes not logged thanks to merging the ranges of one transaction",
                Statistics::bytesSavedIntra);
        cumulative("BytesSavedInter", "Bytes not logged thanks to coalescing lazy commits",
                Statistics::bytesSavedInter);
        gauge("LogUsedBytes", "Bytes of the log holding records not yet truncated", Statistics::logUsed);
        gauge("LogCapacityBytes", "Bytes of the log available to records", Statistics::logCapacity);
        gauge("LogUsePercent", "Percentage of the log in use", s -> Math.round(100 * s.logUse()));
        cumulative("Truncations", "Log truncations completed", Statistics::truncations);
        cumulative("TruncationMillisTotal", "Time spent in log truncations, in milliseconds",
                s -> TimeUnit.NANOSECONDS.toMillis(s.truncationNanosTotal()));
        gauge("LastTruncationMillis", "Duration of the last log truncation, in milliseconds",
                s -> TimeUnit.NANOSECONDS.toMillis(s.lastTruncationNanos()));
        cumulative("LockWaits", "Range lock requests that had to wait", Statistics::lockWaits);
        cumulative("LockTimeouts", "Range lock requests that timed out", Statistics::lockTimeouts);
        cumulative("Deadlocks", "Range lock requests refused as deadlocks", Statistics::deadlocks);
        gauge("LastRecoveryMillis", "Duration of the recovery run when the store was opened, in milliseconds",
                s -> TimeUnit.NANOSECONDS.toMillis(s.lastRecoveryNanos()));
        gauge("LastRecoveryBytes", "Log bytes replayed by that recovery", Statistics::lastRecoveryBytes);
        member("ReplicaRole", "This store's role in its replicated group: 2 the leader (serves connections),"
                + " 1 a follower or being promoted, 0 fenced or closed; -1 not replicated", s -> switch (s.state()) {
                    case ACTIVE -> 2;
                    case FOLLOWER, PROMOTING -> 1;
                    case FENCED, CLOSED -> 0;
                });
        member("ReplicaTerm", "The Raft term this member is in (-1 not replicated or unknown)", Replica.Status::term);
        member("ReplicaAppliedIndex", "The last Raft entry this member applied (-1 not replicated or unknown)",
                Replica.Status::appliedIndex);
        progress("ReplicaCommitIndex", "The last Raft entry this member knows committed by the group (-1 not"
                + " replicated or unknown)", GroupProgress::commitIndex);
        progress("ReplicaFollowerLagMax", "On the leader: the most Raft entries by which a member's log is behind"
                + " the leader's (-1 on a follower or not replicated)", GroupProgress::followerLagMax);
        progress("ReplicaMembersBehind", "On the leader: how many members lack a committed Raft entry (-1 on a"
                + " follower or not replicated)", GroupProgress::followersBehind);
        progress("ReplicaFollowerSilenceMillisMax", "On the leader: the longest time since a member last answered it,"
                + " in milliseconds (-1 on a follower or not replicated)", GroupProgress::followerSilenceMillis);
    }



    private final RvmManagedConnectionFactory mcf;
    private volatile boolean enabled = true;
    private final Map<String, Long> baseline = new ConcurrentHashMap<>();

    RvmStatisticsPlugin(RvmManagedConnectionFactory mcf) {
        this.mcf = mcf;
    }

    private record Stat(String description, boolean cumulative, ToLongFunction<Statistics> read) {
    }

    /**
     * A gauge of the replicated group's member ({@code -1} when the store is not replicated), read from the member
     * when asked: nothing is recorded on the replica's path.
     */
    private record MemberStat(String description, ToLongFunction<GroupMember> read) {
    }

    private static void member(String name, String description, ToLongFunction<Replica.Status> f) {
        MEMBER.put(name, new MemberStat(description, m -> f.applyAsLong(m.status())));
    }

    private static void progress(String name, String description, ToLongFunction<GroupProgress> f) {
        MEMBER.put(name, new MemberStat(description, m -> f.applyAsLong(m.progress())));
    }

    private static void cumulative(String name, String description, ToLongFunction<Statistics> f) {
        STATS.put(name, new Stat(description, true, f));
    }

    private static void gauge(String name, String description, ToLongFunction<Statistics> f) {
        STATS.put(name, new Stat(description, false, f));
    }

    @Override
    public Set<String> getNames() {
        Set<String> names = new LinkedHashSet<>(STATS.keySet());
        names.addAll(MEMBER.keySet());
        return Collections.unmodifiableSet(names);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getType(String name) {
        return STATS.containsKey(name) || MEMBER.containsKey(name) ? long.class : null;
    }

    @Override
    public String getDescription(String name) {
        Stat s = STATS.get(name);
        MemberStat m = MEMBER.get(name);
        return s != null ? s.description() : m != null ? m.description() : null;
    }

    @Override
    public String getDescription(String name, Locale locale) {
        return getDescription(name);
    }

    /** @return the value as a {@code Long}, 0 without a started store, {@code null} for an unknown name */
    @Override
    public Object getValue(String name) {
        MemberStat m = MEMBER.get(name);
        if (m != null) {
            GroupMember member = adapter() == null ? null : adapter().groupMember();
            return member == null ? -1L : m.read().applyAsLong(member);
        }
        Stat stat = STATS.get(name);
        if (stat == null) {
            return null;
        }
        Statistics now = snapshot();
        if (now == null) {
            return 0L;
        }
        long v = stat.read().applyAsLong(now);
        return stat.cumulative() ? v - baseline.getOrDefault(name, 0L) : v;
    }

    private RvmResourceAdapter adapter() {
        return mcf.getResourceAdapter() instanceof RvmResourceAdapter ? (RvmResourceAdapter) mcf.getResourceAdapter()
                : null;
    }

    private Statistics snapshot() {
        RvmResourceAdapter ra = adapter();
        Store s = ra == null ? null : ra.storeOrNull();
        return s == null ? null : s.memory().statistics();
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void clear() {
        Statistics now = snapshot();
        if (now != null) {
            STATS.forEach((name, stat) -> {
                if (stat.cumulative()) {
                    baseline.put(name, stat.read().applyAsLong(now));
                }
            });
        }
    }
}
