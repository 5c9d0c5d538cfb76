/**
 * The debit-credit benchmark: a TPC-A-flavoured workload on rvm-core, with the disk's raw
 * append+force rate measured in the same run so that results read as ratios, plus recovery speed, truncation
 * speed, commit latency under truncation and CPU per commit on a RAM-backed directory.
 *
 * <p>{@link dev.rvm.tools.bench.DebitCreditBenchmark} is the API (options in, results out, a table printer);
 * {@link dev.rvm.tools.bench.BenchMain} is a plain {@code main} taking {@code --key=value} options. Nothing here
 * depends on picocli. Benchmarks are figures, never assertions: nothing in this package fails on a slow machine.
 */
package dev.rvm.tools.bench;
