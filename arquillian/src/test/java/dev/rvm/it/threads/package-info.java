/**
 * Test-only code that runs inside WildFly, deployed as {@code rvm-threads-probe.war} on its own (it depends on no
 * adapter, so it stays deployed while an adapter is undeployed and deployed again): it lists the server's live
 * threads, so a test can see that an undeployed adapter left none behind.
 */
package dev.rvm.it.threads;
