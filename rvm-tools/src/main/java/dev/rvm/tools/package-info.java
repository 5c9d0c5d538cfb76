/**
 * {@code rvm-tools}: the operator's command line for an RVM store — create, inspect, verify, recover, truncate,
 * resolve branches in doubt, benchmark. {@link dev.rvm.tools.RvmTool} is the entry point; each command is one
 * class.
 *
 * <p>Contract with the operator: read-only commands (status, dump, verify, stats, in-doubt list) never write and
 * work on a store a running process holds, saying so; changing commands refuse such a store. Bad input gets one
 * line on standard error and a non-zero exit code from {@link dev.rvm.tools.ExitCodes}, never a stack trace.
 * Progress bars appear only on a terminal. Commands run on the calling thread; nothing here is shared.
 */
package dev.rvm.tools;
