/** Heap memory of mapped regions, chunked so that a region may exceed 2 GiB. Internal: not an API. */
package dev.rvm.core.internal.memory;
