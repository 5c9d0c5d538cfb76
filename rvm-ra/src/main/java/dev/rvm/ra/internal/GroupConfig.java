package dev.rvm.ra.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The adapter's replication settings, validated: when {@code replicaGroup} is set the store is one member of a group
 * replicated on Apache Ratis (see {@code rvm-replication}) instead of a store of its own. Every check names the
 * property that is wrong. Immutable and thread-safe.
 *
 * @param group the Raft group id, the same on every member
 * @param memberId this member's id, one of {@code peers}
 * @param peers every member, this one included, id to {@code host:port} of its Raft server
 * @param witnesses the members that only vote and keep a copy ({@code rvm-tools witness}); never chosen as leader
 *        while another member is up to date
 */
public record GroupConfig(UUID group, String memberId, Map<String, String> peers, Set<String> witnesses) {

    /** Property name, as in {@code ra.xml}. */
    public static final String REPLICA_GROUP = "replicaGroup";
    /** Property name. */
    public static final String REPLICA_MEMBER_ID = "replicaMemberId";
    /** Property name. */
    public static final String REPLICA_PEERS = "replicaPeers";
    /** Property name. */
    public static final String REPLICA_WITNESSES = "replicaWitnesses";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]+:\\d{1,5}");

    /** Defensive copies. */
    public GroupConfig {
        peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
        witnesses = Collections.unmodifiableSet(new LinkedHashSet<>(witnesses));
    }

    /**
     * Validates raw property values. Returns {@code null} (a store of its own) when none of them is set.
     *
     * @throws IllegalArgumentException whose message names the bad property
     */
    public static GroupConfig parse(String group, String memberId, String peers, String witnesses) {
        if (blank(group) && blank(memberId) && blank(peers) && blank(witnesses)) {
            return null;
        }
        if (blank(group)) {
            throw StoreConfig.bad(REPLICA_GROUP, group, "must be set (a UUID, the same on every member) when "
                    + REPLICA_MEMBER_ID + ", " + REPLICA_PEERS + " or " + REPLICA_WITNESSES + " is");
        }
        UUID id;
        try {
            id = UUID.fromString(group.trim());
        } catch (IllegalArgumentException e) {
            throw StoreConfig.bad(REPLICA_GROUP, group, "is not a UUID");
        }
        if (blank(peers)) {
            throw StoreConfig.bad(REPLICA_PEERS, peers, "must list every member as id=host:port, separated by commas");
        }
        Map<String, String> members = new LinkedHashMap<>();
        for (String entry : peers.trim().split("[,;\\s]+")) {
            String[] f = entry.split("=", 2);
            if (f.length != 2 || !ID.matcher(f[0]).matches() || !ADDRESS.matcher(f[1]).matches()) {
                throw StoreConfig.bad(REPLICA_PEERS, peers, "entry '" + entry + "' is not id=host:port");
            }
            int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw StoreConfig.bad(REPLICA_PEERS, peers, "entry '" + entry + "': port must be 1..65535");
            }
            if (members.put(f[0], f[1]) != null) {
                throw StoreConfig.bad(REPLICA_PEERS, peers, "member '" + f[0] + "' appears twice");
            }
        }
        if (members.size() < 3) {
            throw StoreConfig.bad(REPLICA_PEERS, peers, "a group needs at least three members (a majority must"
                    + " survive the loss of one); add a witness (rvm-tools witness) as the third");
        }
        String self = memberId == null ? "" : memberId.trim();
        if (!members.containsKey(self)) {
            throw StoreConfig.bad(REPLICA_MEMBER_ID, memberId, "must be one of the members of " + REPLICA_PEERS + " "
                    + members.keySet());
        }
        Set<String> w = new LinkedHashSet<>();
        if (!blank(witnesses)) {
            for (String wid : witnesses.trim().split("[,;\\s]+")) {
                if (!members.containsKey(wid)) {
                    throw StoreConfig.bad(REPLICA_WITNESSES, witnesses, "'" + wid + "' is not a member of "
                            + REPLICA_PEERS + " " + members.keySet());
                }
                w.add(wid);
            }
        }
        if (w.contains(self)) {
            throw StoreConfig.bad(REPLICA_WITNESSES, witnesses, "names this member '" + self + "': a member that"
                    + " serves an application is not a witness");
        }
        return new GroupConfig(id, self, members, w);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
