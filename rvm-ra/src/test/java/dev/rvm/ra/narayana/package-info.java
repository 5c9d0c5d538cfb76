/** The adapter's XA resource driven by Narayana, the transaction manager of WildFly, outside any server. */
package dev.rvm.ra.narayana;
