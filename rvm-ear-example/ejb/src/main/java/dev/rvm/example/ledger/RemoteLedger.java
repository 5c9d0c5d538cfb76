package dev.rvm.example.ledger;

import java.util.List;

/**
 * The ledger as another server sees it: the remote business interface of {@link RemoteLedgerBean}, called over EJB
 * remoting ({@code remote+http}) through the outbound connection that {@code two-servers.cli} configures. The
 * caller's JTA transaction travels with {@link #credit}: WildFly's transaction client makes this server's part a
 * subordinate of the caller's transaction manager, which coordinates both servers' RVM and audit database in one
 * two-phase commit. Implementations are container-managed, so thread-safe.
 */
public interface RemoteLedger {

    /** @return this server's {@code jboss.node.name}, which names it in audit rows and on the page */
    String node();

    /** @return this server's accounts and balances, read in a transaction of their own */
    List<Balance> balances();

    /**
     * Credits {@code amount} to the local account {@code to} and writes the audit row, inside the caller's
     * transaction, which must exist ({@code MANDATORY}).
     *
     * @param from the debited account as the caller names it, {@code account@node}
     * @param to an account of this server
     * @param amount what arrives
     * @param memo for the audit row, may be null
     * @return the credited account's new balance (as of the caller's transaction), with this server's node name
     * @throws LedgerException {@code UNKNOWN_ACCOUNT} if {@code to} is not open here; the caller's transaction is
     *         then rolled back
     */
    TransferResult credit(String from, String to, long amount, String memo);
}
