package dev.rvm.bench.server;

/**
 * What server A of the two-server cases calls on server B: the remote business interface of
 * {@link BenchPeerBean}, reached over EJB remoting ({@code remote+http}) through the outbound connection that
 * {@code two-servers.cli} configures on A. Both methods run only inside the caller's transaction
 * ({@code MANDATORY}): WildFly's transaction client imports it on B as a subordinate of A's transaction manager, so a
 * call that arrived without one fails instead of silently committing on its own. Implementations are
 * container-managed, so thread-safe.
 */
public interface BenchPeer {

    /**
     * Case {@code rvm-remote}'s part on B: adds {@code amount} to B's account {@code account} in B's RVM, inside the
     * caller's transaction.
     *
     * @throws IllegalArgumentException for an account outside B's region
     */
    void credit(int account, long amount);

    /**
     * Case {@code remote-none}'s part on B: joins the caller's transaction and touches no resource, so the case
     * measures what the remote call and the propagated transaction cost by themselves.
     */
    void joinOnly();
}
