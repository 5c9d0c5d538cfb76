/**
 * Test-only code that runs inside WildFly, deployed as {@code rvm-lazy-probe.war} beside an adapter whose
 * connection definition {@code java:/eis/rvm-lazy} has {@code lazyOnePhaseCommit}: a sequence kept in RVM and bumped
 * by RVM-only transactions, which the container commits one-phase and so lazily.
 */
package dev.rvm.it.lazy;
