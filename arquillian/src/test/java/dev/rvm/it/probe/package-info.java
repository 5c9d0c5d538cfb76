/**
 * Test-only code that runs inside WildFly, deployed as {@code rvm-probe.war} beside the RAR and the example EAR:
 * transactions the example application does not offer (RVM alone; RVM and the database together with a resource
 * that halts the JVM in its commit); in a WAR of its own beside an adapter the example does not use,
 * transactions and statistics of any RVM connection factory named by its JNDI name ({@code AdapterProbeServlet});
 * and, as {@code rvm-two-probe.war} on both servers of the two-server tests, transfers from one server's ledger to
 * the other's that block either server at a chosen point of the propagated transaction until the test SIGKILLs it
 * ({@code TwoServerProbeServlet}, {@code PeerProbeBean}, {@code PhaseBlockingXAResource} recovered through
 * {@code BlockProbeRecovery}, {@code BlockPoint}).
 */
package dev.rvm.it.probe;
