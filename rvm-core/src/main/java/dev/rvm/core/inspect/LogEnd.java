package dev.rvm.core.inspect;

/** How the chain of valid records ends, as recovery would judge it. Immutable. */
public enum LogEnd {
    /** After the last valid record there is nothing this lap of the log wrote: a clean end. */
    CLEAN,
    /**
     * The chain ends in a started but invalid record and nothing durable follows it: an unforced write lost in a
     * crash. Recovery discards it; no committed data is lost.
     */
    TORN_TAIL,
    /**
     * An invalid record is followed by a valid record written after it had been forced: the log is damaged in
     * the middle and recovery will refuse it.
     */
    DAMAGED
}
