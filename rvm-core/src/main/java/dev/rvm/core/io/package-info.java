/**
 * The storage seam: the one small interface through which every read, write and force of a store passes.
 *
 * <p>{@link dev.rvm.core.io.FileStorage} is the real thing. Tests substitute implementations that simulate
 * power failure (lost unforced writes, torn sectors, failed forces) to prove the engine's recovery. Nothing in
 * the engine touches {@code java.nio.file.Files} for store data except through this package.
 */
package dev.rvm.core.io;
