/**
 * A store replicated on Apache Ratis: three (or five) members form one Raft group; the leader's store is the only
 * one that accepts work, and each group commit of its log is one Raft entry.
 *
 * <p>{@link dev.rvm.replication.Replica} is one member: a Ratis server whose state machine applies committed
 * entries to a {@link dev.rvm.core.replication.ReplicaStore} while the member follows, and which opens the
 * directory as the active {@link dev.rvm.core.RecoverableMemory} when the member becomes the leader, with a
 * {@link dev.rvm.core.replication.LogReplicator} that sends each sealed batch as a Raft entry and returns once the
 * group has committed it (each member having forced its Raft log). Inside, {@code MemberLifecycle} is the member's
 * life as Ratis drives it (follow, promote, fence, rejoin), {@code StoreStateMachine} Ratis's view of it and
 * {@code RaftReplicator} the active store's replicator; {@code Replica} is the operator's API over them. The design,
 * the guarantees and the failure table are in {@code docs/REPLICATION.md}.
 *
 * <p>Priorities: never acknowledge a commit, prepare or second phase that a majority does not hold durably; never
 * let a deposed leader serve; then availability; then speed. Threading: {@code Replica} is thread-safe; the state
 * machine is driven by Ratis's single applier thread. Errors: what the store refuses because of replication is an
 * {@link dev.rvm.core.RvmException} with {@link dev.rvm.core.ErrorCode#NOT_LEADER} or
 * {@link dev.rvm.core.ErrorCode#NO_QUORUM}; start-up failures are {@link java.io.IOException}s.
 */
package dev.rvm.replication;
