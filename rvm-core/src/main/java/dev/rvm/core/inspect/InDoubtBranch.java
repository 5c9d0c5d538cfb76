package dev.rvm.core.inspect;

import dev.rvm.core.BranchId;

/**
 * A branch prepared in the log and without an outcome record: in doubt until an operator or its transaction
 * manager resolves it. Immutable.
 *
 * @param id the branch id
 * @param prepareLsn LSN of its newest PREPARE record
 * @param epoch epoch of the session that wrote that record
 * @param ranges redo ranges it holds
 * @param bytes bytes of new values it holds
 */
public record InDoubtBranch(BranchId id, long prepareLsn, int epoch, int ranges, long bytes) {
}
