package dev.rvm.core;

/** The vote of {@link Transaction#prepare(BranchId)}. */
public enum PrepareResult {
    /** The redo record is durable; the branch is in doubt until committed or rolled back. */
    PREPARED,
    /** The transaction declared no ranges: nothing to commit; it is already finished. */
    READ_ONLY
}
