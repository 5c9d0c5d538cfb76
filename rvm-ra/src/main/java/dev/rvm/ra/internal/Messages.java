package dev.rvm.ra.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every message the adapter logs or puts into an exception, each with a stable id ({@code RVM0001nn:}) that
 * operators can search for. Ids are never reused for a different meaning. Logging goes through
 * {@code java.util.logging}, which WildFly routes to its log manager, so the RAR carries no logging jar.
 *
 * <p>Stateless and thread-safe.
 */
public final class Messages {
    /** The logger of the adapter. */
    public static final Logger LOG = Logger.getLogger("dev.rvm.ra");

    private Messages() {
    }

    /** RVM000100: the store was opened by {@code ResourceAdapter.start}. */
    public static void storeOpened(String dir, long storeId, int inDoubt) {
        LOG.info("RVM000100: RVM store " + dir + " (id " + Long.toHexString(storeId) + ") opened; " + inDoubt
                + " branch(es) in doubt await the transaction manager's recovery");
    }

    /** RVM000101: the store was closed by {@code ResourceAdapter.stop}. */
    public static void storeClosed(String dir) {
        LOG.info("RVM000101: RVM store " + dir + " closed");
    }

    /** RVM000102: text of the exception for an invalid configuration property. */
    public static String badProperty(String property, Object value, String reason) {
        return "RVM000102: invalid value '" + value + "' for configuration property " + property + ": " + reason;
    }

    /** RVM000103: a segment named in the region definitions did not exist and was created. */
    public static void segmentCreated(String segment, long size) {
        LOG.info("RVM000103: created segment '" + segment + "' of " + size + " bytes");
    }

    /** RVM000104: the WorkManager refused a truncation Work. */
    public static void truncationRejected(Throwable cause) {
        LOG.log(Level.WARNING, "RVM000104: the WorkManager rejected the log truncation work; the log is truncated"
                + " again the next time it passes its threshold", cause);
    }

    /** RVM000105: a connection handle was still open when the container cleaned up its managed connection. */
    public static void handleLeftOpen(String handle) {
        LOG.warning("RVM000105: connection " + handle + " was left open by the application and is closed by the"
                + " container; close RvmConnection in a try-with-resources block");
    }

    /** RVM000106: opening the store failed. */
    public static String openFailed(String dir, Throwable cause) {
        return "RVM000106: could not open the RVM store in " + dir + ": " + cause.getMessage();
    }

    /** RVM000107: closing the store reported an error. */
    public static void closeFailed(Throwable cause) {
        LOG.log(Level.WARNING, "RVM000107: closing the RVM store failed", cause);
    }

    /** RVM000108: a write or setRange outside any transaction. */
    public static String noTransaction(String what) {
        return "RVM000108: " + what + " outside a transaction: RVM changes must run in a JTA transaction"
                + " (container-managed or UserTransaction) or in the connection's local transaction";
    }

    /** RVM000109: the adapter is not started (or already stopped). */
    public static String notStarted() {
        return "RVM000109: the RVM resource adapter is not started";
    }

    /** RVM000110: an XA call failed; {@code code} is the XA error code name. */
    public static String xaFailed(String op, String xid, String code, String detail) {
        return "RVM000110: " + op + " of branch " + xid + " failed with " + code + ": " + detail;
    }

    /** RVM000111: an Xid that XA does not accept. */
    public static String badXid(String detail) {
        return "RVM000111: invalid Xid: " + detail;
    }

    /** RVM000112: a call made in a state where the XA specification does not allow it. */
    public static String protocol(String op, String xid, String state) {
        return "RVM000112: " + op + " is not allowed for branch " + xid + ", which is " + state;
    }

    /** RVM000113: an Xid this resource manager does not know. */
    public static String unknownXid(String op, String xid) {
        return "RVM000113: " + op + ": branch " + xid + " is not known to this RVM store";
    }

    /** RVM000114: start of an Xid already in use. */
    public static String duplicateXid(String xid) {
        return "RVM000114: start: branch " + xid + " already exists (active, ended or prepared)";
    }

    /** RVM000115: the branch was rolled back (after end(TMFAIL) or a failure). */
    public static String rolledBack(String op, String xid) {
        return "RVM000115: " + op + ": branch " + xid + " was rolled back";
    }

    /** RVM000117: the log holds an in-doubt branch whose id is not an encoded Xid. */
    public static void foreignBranch(String branch) {
        LOG.warning("RVM000117: in-doubt branch " + branch + " was not prepared through XA and is not reported by"
                + " recover(); resolve it with the rvm tool");
    }

    /** RVM000118: a local transaction call in the wrong state. */
    public static String localTransaction(String detail) {
        return "RVM000118: local transaction: " + detail;
    }

    /** RVM000119: a region name not in the adapter's configuration. */
    public static String unknownRegion(String name, Object known) {
        return "RVM000119: no region named '" + name + "' is configured; configured regions: " + known;
    }

    /** RVM000120: use of a closed connection handle. */
    public static String closedHandle() {
        return "RVM000120: the RVM connection is closed";
    }

    /** RVM000121: the store failed or was closed under an XA call. */
    public static String storeUnavailable() {
        return "RVM000121: the RVM store is closed or stopped after an I/O failure";
    }

    /** RVM000122: a branch was in doubt when the adapter started. */
    public static void inDoubtAtStart(String xid) {
        LOG.info("RVM000122: branch " + xid + " is prepared and in doubt; the transaction manager's recovery"
                + " will commit or roll it back");
    }

    /** RVM000123: a branch in doubt at start was rolled back, as the transaction manager presumes it aborted. */
    public static void orphanRolledBack(String xid, String tm) {
        LOG.info("RVM000123: rolled back branch " + xid + ", in doubt at start: " + tm + " has no record of its"
                + " transaction, which a process that is gone began (presumed abort)");
    }

    /** RVM000124: the adapter asks the transaction manager for a recovery scan. */
    public static void askingForScan(String tm, int inDoubt, int scan) {
        LOG.info("RVM000124: " + inDoubt + " branch(es) in doubt since start; asking " + tm + " for recovery scan "
                + scan);
    }

    /** RVM000125: every branch in doubt at start is resolved. */
    public static void inDoubtResolved(long millis, int scans) {
        LOG.info("RVM000125: no branch is in doubt any more, " + millis + " ms after start (" + scans
                + " recovery scan(s) asked for)");
    }

    /** RVM000126: branches stay in doubt after the scans asked for; the periodic recovery goes on. */
    public static void stillInDoubt(int inDoubt, int scans) {
        LOG.warning("RVM000126: " + inDoubt + " branch(es) still in doubt after " + scans + " recovery scans; the"
                + " transaction manager's periodic recovery will go on resolving them (see 'rvm-tools in-doubt list')");
    }

    /** RVM000127: asking the transaction manager about a branch or for a scan failed. */
    public static void scanFailed(String tm, Throwable cause) {
        LOG.log(Level.WARNING, "RVM000127: asking " + tm + " for a recovery scan failed; the branches in doubt wait"
                + " for its periodic recovery", cause);
    }

    /** RVM000128: the transaction manager's presumed-abort verdict on a branch could not be had. */
    public static void presumedAbortFailed(String xid, Throwable cause) {
        LOG.log(Level.WARNING, "RVM000128: could not ask the transaction manager about branch " + xid + "; it waits"
                + " for the manager's recovery", cause);
    }

    /** RVM000130: a scan asked for so that the manager rolls back other resources' branches of rolled-back orphans. */
    public static void askingForSiblingScan(String tm, int orphans, int scan) {
        LOG.info("RVM000130: asking " + tm + " for recovery scan " + scan + ", so that it also rolls back the other"
                + " resources' branches of the " + orphans + " transaction(s) whose RVM branch was rolled back at start");
    }

    /** RVM000129: no transaction manager to ask; branches in doubt wait for its periodic recovery. */
    public static void noPromptRecovery(int inDoubt) {
        LOG.info("RVM000129: " + inDoubt + " branch(es) in doubt wait for the transaction manager's periodic"
                + " recovery (this server's transaction manager offers no way to ask for it sooner)");
    }

    /** RVM000131: the background flush of lazy one-phase commits failed (the store has stopped). */
    public static void lazyFlushFailed(Throwable cause) {
        LOG.log(Level.SEVERE, "RVM000131: the background flush of lazy one-phase commits failed; lazy commits since"
                + " the last successful flush may be lost", cause);
    }

    /** RVM000132: branches in doubt at start whose transaction was imported from another server's coordinator. */
    public static void awaitingRemoteCoordinator(String coordinator, int branches, String local) {
        LOG.info("RVM000132: " + branches + " branch(es) in doubt belong to transactions that this server (node "
                + local + ") imported from the coordinator on node " + coordinator + " (e.g. over an EJB remote call);"
                + " only that server's recovery decides them, and their ranges stay locked until it does. They stay in"
                + " doubt for good if that server does not come back with the same node identifier and address");
    }

    /**
     * RVM000133: branches in doubt at start that were prepared under another node identifier than this server's: the
     * identifier changed, or the store belonged to another server.
     */
    public static void preparedUnderAnotherNode(String node, int branches, String local) {
        LOG.warning("RVM000133: " + branches + " branch(es) in doubt were prepared under transaction node identifier "
                + node + ", not this server's " + local + ": the node identifier changed, or the store belonged to another"
                + " server. This server's recovery does not decide them; start the server with node identifier " + node
                + " again, or resolve them with 'rvm-tools in-doubt' after checking the outcome in that node's log");
    }

    /**
     * RVM000134: branches in doubt at start imported from a coordinator with this server's own node identifier: two
     * servers share one identifier.
     */
    public static void sharedNodeIdentifier(String local, int branches) {
        LOG.warning("RVM000134: " + branches + " branch(es) in doubt belong to transactions imported from another"
                + " server whose transaction node identifier is this server's own (" + local + "): two servers share"
                + " one node identifier, so each one's orphan detection may roll back branches the other decides. Give"
                + " every server a node identifier of its own (/subsystem=transactions:write-attribute(name="
                + "node-identifier, ...))");
    }

    /** RVM000135: this member of a replicated group became the leader; its store serves connections now. */
    public static void leading(String member, String group, int inDoubt) {
        LOG.info("RVM000135: member " + member + " leads replicated group " + group + " and serves connections;"
                + " branches in doubt: " + inDoubt + " (never rolled back by presumption here: only their"
                + " coordinator's transaction log decides them)");
    }

    /** RVM000136: connections asked of a member that does not lead its replicated group. */
    public static String notLeader(String why) {
        return "RVM000136: this RVM store is a replica and does not serve connections: " + why;
    }

    /** RVM000137: the store this member opened as the leader does not fit the configured regions. */
    public static void leaderStoreRefused(String member, Throwable cause) {
        LOG.log(Level.SEVERE, "RVM000137: member " + member + " leads its replicated group but cannot map the"
                + " configured regions on the group's store; it serves no connection", cause);
    }

    /** RVM000140: connections asked of a member that leads its group but cannot map the configured regions. */
    public static String leaderCannotServe(String member, String why) {
        return "RVM000140: member " + member + " leads its replicated group but serves no connection: its store"
                + " cannot map the configured regions: " + why;
    }

    /** RVM000138: the replicated group's member started (a follower until elected). */
    public static void memberStarted(String member, String group, String dir) {
        LOG.info("RVM000138: RVM store in " + dir + " is member " + member + " of replicated group " + group
                + "; it serves connections only while it leads");
    }

    /** RVM000139: the member could not start its Raft server. */
    public static String memberStartFailed(String member, Throwable cause) {
        return "RVM000139: member " + member + " of the replicated RVM store could not start: " + cause;
    }
}
