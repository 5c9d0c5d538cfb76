/**
 * The ledger of the RVM example application: account balances live in an RVM region (the {@code accounts} region
 * of the resource adapter bound at {@code java:/eis/rvm}); every transfer also writes an audit row to an XA
 * datasource, in the same JTA transaction, so the two commit or roll back together.
 *
 * <p>Two entry points do the same work: {@link dev.rvm.example.ledger.LedgerBean}, a stateless session bean with
 * container-managed transactions, and {@link dev.rvm.example.ledger.CdiLedger}, a CDI bean with
 * {@code @Transactional}. Both delegate to {@link dev.rvm.example.ledger.TransferWork}. Failures are reported as
 * {@link dev.rvm.example.ledger.LedgerException}s, which roll the transaction back; an overdraft is detected after
 * the money has moved and the transaction is marked rollback-only instead.
 */
package dev.rvm.example.ledger;
