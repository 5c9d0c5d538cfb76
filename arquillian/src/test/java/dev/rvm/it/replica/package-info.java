/**
 * Test-only code that runs inside WildFly, deployed as {@code rvm-replica-probe.war} beside an adapter whose store
 * is one member of a group replicated on Apache Ratis ({@code java:/eis/rvm-replicated}): a sequence kept in the
 * replicated store and bumped by RVM-only transactions, which only the group leader's server can run.
 */
package dev.rvm.it.replica;
