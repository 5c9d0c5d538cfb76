package dev.rvm.core.internal;

import dev.rvm.core.ErrorCode;
import dev.rvm.core.Region;
import dev.rvm.core.RvmException;
import dev.rvm.core.internal.lock.RangeLockManager;
import dev.rvm.core.internal.memory.Memory;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A mapped region: its memory, and the check that every put lies in a declared range. Thread-safe. */
final class RegionImpl implements Region {
    /** The mappings that made it: a region of another store is refused. */
    final Mappings owner;
    private final StoreGuard guard;
    private final ThreadAssociations threads;
    final int segmentId;
    private final String segment;
    private final long offset;
    private final long length;
    final Memory memory;
    /** This segment's lock table and end-of-last-record marker, cached to keep map lookups off the commit path. */
    final RangeLockManager.Table lockTable;
    final AtomicLong lastLogged;
    /** Transactions (live or prepared) with declared ranges here; unmap waits for zero. */
    final AtomicInteger users = new AtomicInteger();
    private volatile boolean mapped = true;

    RegionImpl(Mappings owner, StoreGuard guard, ThreadAssociations threads, int segmentId, String segment, long offset,
            Memory memory, RangeLockManager.Table lockTable, AtomicLong lastLogged) {
        this.owner = owner;
        this.guard = guard;
        this.threads = threads;
        this.lockTable = lockTable;
        this.lastLogged = lastLogged;
        this.segmentId = segmentId;
        this.segment = segment;
        this.offset = offset;
        this.length = memory.length();
        this.memory = memory;
    }

    @Override
    public String segment() {
        return segment;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isMapped() {
        return mapped && guard.isOpen();
    }

    void unmapped() {
        mapped = false;
    }

    /** True if the region overlaps {@code [from, to)} of its segment. */
    boolean overlaps(long from, long to) {
        return offset < to && from < offset + length;
    }

    // The checks run on every access; building their messages is kept in separate methods so they stay small
    // enough for the JIT to inline.

    void checkBounds(long at, long len) {
        if (at < 0 || len < 0 || at > length - len) {
            throw outside(at, len);
        }
    }

    private RvmException outside(long at, long len) {
        return new RvmException(ErrorCode.ILLEGAL_ARGUMENT, "[" + at + ", " + (at + len) + ") is outside region '"
                + segment + "'@" + offset + " of " + length + " bytes");
    }

    private void checkRead(long at, int len) {
        if (!mapped) {
            throw unmappedAccess();
        }
        checkBounds(at, len);
    }

    private RvmException unmappedAccess() {
        return new RvmException(ErrorCode.REGION_UNMAPPED, "region '" + segment + "'@" + offset + " is unmapped");
    }

    private void checkWrite(long at, int len) {
        checkRead(at, len);
        TransactionImpl t = threads.current();
        if (t == null) {
            throw noTransaction(at, len);
        }
        t.checkWrite(this, at, len);
    }

    private RvmException noTransaction(long at, int len) {
        return new RvmException(ErrorCode.NO_TRANSACTION, "write of " + len + " bytes at " + at + " in region '"
                + segment + "'@" + offset + " by thread " + Thread.currentThread().getName()
                + ", which has no transaction: begin one and call setRange first");
    }

    @Override
    public byte getByte(long at) {
        checkRead(at, 1);
        return memory.getByte(at);
    }

    @Override
    public int getInt(long at) {
        checkRead(at, 4);
        return memory.getInt(at);
    }

    @Override
    public long getLong(long at) {
        checkRead(at, 8);
        return memory.getLong(at);
    }

    @Override
    public void get(long at, byte[] dst, int dstOffset, int len) {
        checkRead(at, len);
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        memory.get(at, dst, dstOffset, len);
    }

    @Override
    public void putByte(long at, byte value) {
        checkWrite(at, 1);
        memory.putByte(at, value);
    }

    @Override
    public void putInt(long at, int value) {
        checkWrite(at, 4);
        memory.putInt(at, value);
    }

    @Override
    public void putLong(long at, long value) {
        checkWrite(at, 8);
        memory.putLong(at, value);
    }

    @Override
    public void put(long at, byte[] src, int srcOffset, int len) {
        checkWrite(at, len);
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        memory.put(at, src, srcOffset, len);
    }

    @Override
    public String toString() {
        return "Region[" + segment + "@" + offset + "+" + length + (mapped ? "" : ", unmapped") + "]";
    }
}
