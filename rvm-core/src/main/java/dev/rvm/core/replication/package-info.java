/**
 * The replication seam: how a store's log reaches other machines, without any replication engine in the core.
 *
 * <p>Two halves. On the active store (the leader), the log writer hands every sealed batch of records — one group
 * commit: commits, coalesced lazy commits, PREPAREs, outcome marks, copies of in-doubt PREPAREs — to a
 * {@link dev.rvm.core.replication.LogReplicator} given in {@link dev.rvm.core.RvmOptions.Builder#replicator}, and
 * writes and forces it locally only after the replicator has returned, that is after a majority of the group holds
 * it durably. So the local log never holds a record the group has not committed, and no commit, prepare or second
 * phase is acknowledged before that. Segment creation is handed over the same way. On every other member a
 * {@link dev.rvm.core.replication.ReplicaStore} applies the committed batches, in order, to a store directory of its
 * own: it writes them into its log at the same positions (so the logs are byte-identical where they overlap) and
 * replays them onto its segments with the same code as recovery. A replica's directory is at every moment a valid
 * store: promoting a replica is closing the {@code ReplicaStore} and opening the directory with
 * {@link dev.rvm.core.RecoverableMemory#open}, which recovers it and lists the branches in doubt.
 *
 * <p>The core knows no replication engine; an implementation lives in its own module. Errors: a replicator
 * reports failure with {@link dev.rvm.core.replication.ReplicationException}, which the store turns into an
 * {@link dev.rvm.core.RvmException} with the exception's code ({@link dev.rvm.core.ErrorCode#NOT_LEADER},
 * {@link dev.rvm.core.ErrorCode#NO_QUORUM}); like any failed force, it stops the store.
 */
package dev.rvm.core.replication;
