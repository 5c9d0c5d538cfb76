package dev.rvm.it;

/**
 * The servers' port offsets, as the build passes them ({@code rvm.it.portOffset} and
 * {@code rvm.it.crashPortOffset}, {@code rvm.it.chaosPortOffset}, {@code rvm.it.aPortOffset},
 * {@code rvm.it.bPortOffset}, the same values arquillian.xml is filtered with), so that two builds can run side by
 * side. Constants only.
 */
final class Ports {
    /** Offset of the suite server, which Arquillian starts once for the run. */
    static final int SUITE_OFFSET = Integer.getInteger("rvm.it.portOffset", 10000);
    /** Offset of the server that the tests stop, kill and restart. */
    static final int CRASH_OFFSET = Integer.getInteger("rvm.it.crashPortOffset", 20000);
    /** Offset of the server that the chaos test kills at random moments, with default recovery settings. */
    static final int CHAOS_OFFSET = Integer.getInteger("rvm.it.chaosPortOffset", 12000);

    /** Offset of server A of the two-server tests, whose ledger sends money to B's. */
    static final int A_OFFSET = Integer.getInteger("rvm.it.aPortOffset", 2000);
    /** Offset of server B of the two-server tests, whose ledger receives it in A's propagated transaction. */
    static final int B_OFFSET = Integer.getInteger("rvm.it.bPortOffset", 14000);

    private Ports() {
    }
}
