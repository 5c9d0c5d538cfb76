/**
 * Integration tests of the RVM resource adapter and the example ledger in a real WildFly, started by Arquillian
 * from a server the build unpacks. Tests run as clients ({@code @RunAsClient}) and observe the server through the
 * example's REST endpoints, the probe deployment ({@link dev.rvm.it.probe}) and the management API.
 */
package dev.rvm.it;
