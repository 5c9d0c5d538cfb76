/**
 * Byte-range locks with timeouts and deadlock detection: the concurrency control the paper leaves to the
 * application, which an application server cannot do without. Internal: not an API.
 */
package dev.rvm.core.internal.lock;
