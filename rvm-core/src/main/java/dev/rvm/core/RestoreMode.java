package dev.rvm.core;

/** The paper's {@code begin_transaction} mode: whether the transaction keeps old values so it can abort. */
public enum RestoreMode {
    /** Old values of every declared range are saved at {@code setRange}; {@code abort} puts them back. */
    RESTORE,
    /** The transaction promises never to abort; no old values are kept (cheaper). */
    NO_RESTORE
}
