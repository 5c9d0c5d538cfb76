/** Test support: a storage that fails on demand, a recording XA resource, Xids, and a store opener. */
package dev.rvm.ra.testing;
