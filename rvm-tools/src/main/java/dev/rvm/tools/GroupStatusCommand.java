package dev.rvm.tools;

import dev.rvm.replication.GroupStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code group-status}: asks every member of a replicated store's group for its state — reachable or not, role,
 * leader, term, last, committed and applied Raft index, last snapshot, lag behind the leader. Exit 0 when a leader
 * answers and every member is reachable and caught up, 1 when a member is down or lagging (the group still serves if
 * a majority answers), 6 when no leader answers. Read-only. Run once by picocli.
 */
@Command(name = "group-status", mixinStandardHelpOptions = true,
        description = "Show a replicated store's group: members, leader, applied index per member, lag. Exit code 0"
                + " when all are up and caught up, 1 when a member is down or lagging, 6 when no leader answers.")
final class GroupStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GroupOptions groupOptions;

    @Option(names = "--timeout-ms", description = "How long to wait for each member (default 3000).")
    long timeoutMs = 3000;

    @Option(names = "--max-lag", description = "Entries a member may be behind the leader and count as caught up"
            + " (default 100).")
    long maxLag = 100;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        List<GroupStatus.Member> members = GroupStatus.query(groupOptions.peers, groupOptions.group,
                Duration.ofMillis(timeoutMs));
        if (json) {
            printJson(members);
        } else {
            printText(members);
        }
        return exitCode(members, maxLag);
    }

    static int exitCode(List<GroupStatus.Member> members, long maxLag) {
        if (members.stream().noneMatch(m -> "LEADER".equals(m.role()))) {
            return ExitCodes.IO;
        }
        boolean healthy = members.stream().allMatch(m -> m.reachable() && m.lag() >= 0 && m.lag() <= maxLag);
        return healthy ? ExitCodes.OK : ExitCodes.ATTENTION;
    }

    private void printText(List<GroupStatus.Member> members) {
        PrintWriter o = spec.commandLine().getOut();
        String leader = members.stream().filter(m -> "LEADER".equals(m.role())).map(GroupStatus.Member::id)
                .findFirst().orElse("none answering");
        o.printf(Locale.ROOT, "group %s: %d members, leader %s%n", groupOptions.group, members.size(), leader);
        String f = "%-8s %-21s %-10s %6s %-8s %10s %10s %10s %10s %8s%n";
        o.printf(Locale.ROOT, f, "member", "address", "role", "term", "leader", "last", "committed", "applied",
                "snapshot", "lag");
        for (GroupStatus.Member m : members) {
            if (!m.reachable()) {
                o.printf(Locale.ROOT, "%-8s %-21s unreachable: %s%n", m.id(), m.address(), m.error());
                continue;
            }
            o.printf(Locale.ROOT, f, m.id(), m.address(), m.role(), m.term(), m.leaderId() == null ? "-" : m.leaderId(),
                    m.lastIndex(), m.commitIndex(), m.appliedIndex(), m.snapshotIndex(), m.lag() < 0 ? "?" : m.lag());
        }
        o.flush();
    }

    private void printJson(List<GroupStatus.Member> members) {
        PrintWriter o = spec.commandLine().getOut();
        StringBuilder b = new StringBuilder("{\"group\":").append(Json.str(groupOptions.group.toString()))
                .append(",\"members\":[");
        for (int i = 0; i < members.size(); i++) {
            GroupStatus.Member m = members.get(i);
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(Json.str(m.id()))
                    .append(",\"address\":").append(Json.str(m.address()))
                    .append(",\"reachable\":").append(m.reachable())
                    .append(",\"error\":").append(Json.str(m.error()))
                    .append(",\"role\":").append(Json.str(m.role()))
                    .append(",\"term\":").append(m.term())
                    .append(",\"leader\":").append(Json.str(m.leaderId()))
                    .append(",\"lastIndex\":").append(m.lastIndex())
                    .append(",\"commitIndex\":").append(m.commitIndex())
                    .append(",\"appliedIndex\":").append(m.appliedIndex())
                    .append(",\"snapshotIndex\":").append(m.snapshotIndex())
                    .append(",\"lag\":").append(m.lag()).append('}');
        }
        o.println(b.append("]}"));
        o.flush();
    }
}
