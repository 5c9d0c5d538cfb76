package dev.rvm.core;

/**
 * Machine-readable reason of an {@link RvmException}. The numeric {@link #number()} is stable across releases
 * and appears in messages as {@code RVM-nnnn}, so operators can search for it.
 */
public enum ErrorCode {
    /** An argument was null, negative, out of bounds or otherwise malformed. */
    ILLEGAL_ARGUMENT(1001),
    /**
     * The call is not allowed in the current state, when no more precise code below names that state: prepare of a
     * {@code NO_RESTORE} transaction or on a store without range locks, a transaction the container owns, a closed
     * connection handle, an interrupted wait. See {@link #isWrongState()}.
     */
    ILLEGAL_STATE(1002),
    /** A region put outside every range the calling thread's transaction declared with {@code setRange}. */
    RANGE_NOT_DECLARED(1003),
    /** A region put by a thread that has no transaction associated with it. */
    NO_TRANSACTION(1004),
    /** A mapping overlaps or repeats an existing mapping of the same segment. */
    OVERLAPPING_MAPPING(1005),
    /** {@code unmap} while a live transaction has declared ranges in the region. */
    REGION_IN_USE(1006),
    /** The named segment does not exist. */
    NO_SUCH_SEGMENT(1007),
    /** A segment of that name already exists. */
    SEGMENT_EXISTS(1008),
    /** A segment name is not acceptable (path separators, {@code ..}, a symbolic link, too long, ...). */
    BAD_SEGMENT_NAME(1009),
    /** {@code abort} of a {@code NO_RESTORE} transaction, which promised never to abort. */
    ABORT_NOT_ALLOWED(1010),
    /** A range lock could not be obtained within the lock timeout. */
    LOCK_TIMEOUT(1011),
    /** Waiting for a range lock would close a cycle of waiting transactions. */
    DEADLOCK(1012),
    /** Another process or another open in this JVM holds the store. */
    STORE_LOCKED(1013),
    /** The store is closed. */
    STORE_CLOSED(1014),
    /** An earlier I/O failure stopped the store; close and reopen it to recover. */
    STORE_FAILED(1015),
    /** The log had no free space within the wait limit, and truncation could not free any. */
    LOG_FULL(1016),
    /** A single record is larger than the whole log. */
    RECORD_TOO_LARGE(1017),
    /** The file is not an RVM log or segment (wrong magic). */
    NOT_A_STORE_FILE(1018),
    /** The file was written by an unsupported format version. */
    UNSUPPORTED_VERSION(1019),
    /** The log is damaged in a way that is not a torn tail: a bad record followed by durable valid ones. */
    LOG_CORRUPT(1020),
    /** Both copies of the log status block are invalid. */
    STATUS_CORRUPT(1021),
    /** A segment file is damaged or belongs to another store. */
    SEGMENT_CORRUPT(1022),
    /** An I/O operation failed. */
    IO_ERROR(1023),
    /** No prepared branch with that id is in doubt. */
    UNKNOWN_BRANCH(1024),
    /** A branch with that id is already prepared and in doubt. */
    DUPLICATE_BRANCH(1025),
    /** The configuration given to {@link RvmOptions} is invalid. */
    BAD_OPTION(1026),
    /** The segment table in the log status block is full. */
    TOO_MANY_SEGMENTS(1027),
    /** The transaction has committed; it takes no further calls. */
    TRANSACTION_COMMITTED(1028),
    /** The transaction was aborted (rolled back); it takes no further calls. */
    TRANSACTION_ABORTED(1029),
    /**
     * The transaction is prepared: only {@link RecoverableMemory#commitPrepared} or
     * {@link RecoverableMemory#rollbackPrepared} ends it.
     */
    TRANSACTION_PREPARED(1030),
    /** An I/O failure hit the transaction's commit or prepare: its outcome is known only after recovery. */
    TRANSACTION_FAILED(1031),
    /** {@code begin} or {@code resume} on a thread that already has a transaction: transactions do not nest. */
    THREAD_HAS_TRANSACTION(1032),
    /** {@code suspend} from a thread the transaction is not associated with. */
    NOT_ASSOCIATED(1033),
    /** {@code resume} of a transaction that is associated with another thread. */
    ASSOCIATED_ELSEWHERE(1034),
    /** Use of a region that was unmapped, or whose store was closed. */
    REGION_UNMAPPED(1035),
    /** A replicated store whose member is not (or no longer) the group's leader: it refuses work (fenced). */
    NOT_LEADER(1036),
    /** A replicated store could not get its log committed by a majority of the group within the commit timeout. */
    NO_QUORUM(1037),
    /** A recoverable heap has no free block large enough for an allocation. */
    HEAP_FULL(1101),
    /** A region does not hold a recoverable heap or structure, or its metadata is damaged. */
    HEAP_CORRUPT(1102);

    private final int number;

    ErrorCode(int number) {
        this.number = number;
    }

    /** The stable number of this code. */
    public int number() {
        return number;
    }

    /**
     * True for a call refused because of the state of the transaction, thread or region it was made in:
     * {@link #ILLEGAL_STATE} and the codes that name the state ({@link #TRANSACTION_COMMITTED} to
     * {@link #REGION_UNMAPPED}). Code that tested for {@code ILLEGAL_STATE} before those codes existed tests this.
     */
    public boolean isWrongState() {
        return this == ILLEGAL_STATE || (number >= TRANSACTION_COMMITTED.number && number <= REGION_UNMAPPED.number);
    }
}
