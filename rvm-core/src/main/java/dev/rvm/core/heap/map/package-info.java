/**
 * A recoverable hash map on the heap: {@link dev.rvm.core.heap.map.RecoverableHashMap} with keys and values of any
 * length through {@link dev.rvm.core.heap.map.Codec}s ({@link dev.rvm.core.heap.map.Codecs} has String, long and
 * byte[]; applications add their own).
 *
 * <p>All changes are made in the caller's transaction and commit or abort with it. Growth is incremental (linear
 * hashing: one bucket split per insert past the load limit), so no call pays for rehashing the map.
 *
 * <p>Concurrency: an operation locks only its key's bucket head (RVM range lock, until the transaction ends) and
 * re-checks the table's shape once the lock is granted, since a split may have moved the key while it waited.
 * The entry count is striped by heap arena, so inserts in different arenas do not share a counter. A split locks
 * the shape and the two buckets it changes; while one live transaction splits, others skip splitting (it catches
 * up: each insert may split twice). Operations given a {@code null} transaction lock nothing and are only for
 * a map no transaction is changing.
 */
package dev.rvm.core.heap.map;
