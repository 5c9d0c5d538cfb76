/**
 * The bench-only deployment of the in-server benchmark ({@code rvm-bench.war}): the same money transfer done four
 * ways, each in one container-managed JTA transaction whose every commit is durable (but case rvm-lazy's, below).
 *
 * <ol start="0">
 *   <li>{@link dev.rvm.bench.server.TransferCase#NONE} — no resource at all: the floor of the server's path;</li>
 *   <li>{@link dev.rvm.bench.server.TransferCase#RVM} — both balances in RVM; one XA resource, so one-phase commit;</li>
 *   <li>{@link dev.rvm.bench.server.TransferCase#RVM_AUDIT} — balances in RVM and an audit row in the XA database;
 *       two resources, so two-phase commit (what the example ledger does);</li>
 *   <li>{@link dev.rvm.bench.server.TransferCase#DB} — both balances in a database table, one row update per
 *       account, through the same XA datasource (what a user would pick instead of RVM);</li>
 *   <li>{@link dev.rvm.bench.server.TransferCase#DB_AUDIT} — balances and the audit row in the database.</li>
 * </ol>
 *
 * <p>And {@link dev.rvm.bench.server.TransferCase#RVM_LAZY}: case 1 through a connection factory whose one-phase
 * commit is lazy (RVM's {@code NO_FLUSH}, made durable by the adapter's background flush), so not durable when the
 * request is answered; the idle-resource case {@link dev.rvm.bench.server.TransferCase#NOOP_AUDIT} bounds case 2.
 *
 * <p>Two servers (the driver's two-server mode, the same WAR deployed on both): on server A,
 * {@link dev.rvm.bench.server.TransferCase#RVM_REMOTE} debits one account in A's RVM and calls
 * {@link dev.rvm.bench.server.BenchPeerBean} on server B over EJB remoting, which credits the other account in B's
 * RVM inside A's propagated transaction (two-phase commit coordinated by A);
 * {@link dev.rvm.bench.server.TransferCase#REMOTE_NONE} makes the same call in a transaction with no resource on
 * either side.
 *
 * <p>The load comes over HTTP to {@link dev.rvm.bench.server.TransferServlet}, which calls the stateless bean
 * {@link dev.rvm.bench.server.BenchTransfers}; the container starts and ends the transaction. Account ids are
 * plain integers, the balances of RVM are 8-byte slots of the adapter's {@code main} region, so nothing but the
 * storage differs between the cases. The databases are H2 (WildFly's bundled driver, as the example uses it) and
 * PostgreSQL (a deployed driver, {@code postgresql.jar}); see {@link dev.rvm.bench.server.BenchDatabase}.
 *
 * <p>Every class here is stateless or immutable and thread-safe as the container uses it.
 */
package dev.rvm.bench.server;
