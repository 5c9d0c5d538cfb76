/**
 * The driver of the in-server benchmark: one process that starts PostgreSQL (a binary from a Maven Central jar,
 * with {@code max_prepared_transactions} set and durable commits), boots the WildFly unpacked by the build with
 * {@code rvm-ra.rar}, the PostgreSQL JDBC driver and {@code rvm-bench.war} deployed, drives HTTP load from a number
 * of client threads for a fixed time after a warm-up, prints the table and stops both servers.
 *
 * <p>Entry point {@link dev.rvm.bench.driver.ServerBench}; {@link dev.rvm.bench.driver.Postgres} and
 * {@link dev.rvm.bench.driver.WildFly} own the two server processes, {@link dev.rvm.bench.driver.LoadRun} one
 * measured run, {@link dev.rvm.bench.driver.Report} the table and the targets,
 * {@link dev.rvm.bench.driver.CpuCounters} the machine's and the server's CPU time and context switches from
 * {@code /proc}, {@link dev.rvm.bench.driver.LazyDefinition} the connection definition of case {@code rvm-lazy}
 * added to the deployed copy of the RAR, {@link dev.rvm.bench.driver.ServerProfiler} async-profiler in the server
 * for a measured window; {@link dev.rvm.bench.driver.TwoServers} the two-server mode's server B (a copy of the
 * unpacked WildFly, wired to A by the two-server example's own script) and
 * {@link dev.rvm.bench.driver.TwoServerReport} its table (forces on A and on B, the ratios of the remote cases);
 * {@link dev.rvm.bench.driver.PostgresCommand} starts and stops the same PostgreSQL for other builds (the integration
 * tests on PostgreSQL). Speed is read only as ratios between
 * cases measured in the same run: the figures depend on the machine, the ratios much less.
 *
 * <p>Threading: {@link dev.rvm.bench.driver.LoadRun} runs its client threads and joins them before it returns;
 * everything else runs on the main thread. Failures end the run with a message naming what failed; both servers
 * are stopped in every case.
 */
package dev.rvm.bench.driver;
