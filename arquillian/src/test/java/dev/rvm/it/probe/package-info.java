/**
 * Test-only code that runs inside WildFly, deployed as {@code rvm-probe.war} beside the RAR and the example EAR:
 * transactions the example application does not offer (RVM alone; RVM and the database together with a resource
 * that halts the JVM in its commit).
 */
package dev.rvm.it.probe;
