/**
 * The client API of the RVM resource adapter, for Jakarta EE applications.
 *
 * <p>Look up (or inject with {@code @Resource(lookup = "java:/eis/rvm")}) an {@link dev.rvm.ra.RvmConnectionFactory},
 * open an {@link dev.rvm.ra.RvmConnection} in a try-with-resources block inside a JTA transaction, get a region by
 * its configured name, declare the range about to change with {@code setRange}, then write it:
 *
 * <pre>{@code
 * try (RvmConnection c = factory.getConnection()) {
 *     Region accounts = c.region("main");
 *     c.setRange(accounts, 8 * id, 8);
 *     accounts.putLong(8 * id, accounts.getLong(8 * id) + amount);
 * }   // commits or rolls back with the JTA transaction, atomically with the other resources in it
 * }</pre>
 *
 * <p>Changes are only possible inside a transaction: a {@code setRange} or a write outside one fails with
 * {@link dev.rvm.core.ErrorCode#NO_TRANSACTION}. Reads need no transaction. Errors of the engine are unchecked
 * {@link dev.rvm.core.RvmException}s with an error code.
 *
 * <p>Threading: a connection handle is used by one thread at a time, the thread running its transaction.
 */
package dev.rvm.ra;
