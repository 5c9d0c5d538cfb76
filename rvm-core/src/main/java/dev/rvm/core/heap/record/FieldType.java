package dev.rvm.core.heap.record;

/**
 * The kinds of field a {@link RecordLayout} holds. Multi-byte numbers are little-endian and aligned to their size
 * within the record; {@link #BYTES} is a fixed number of bytes; {@link #STRING} is UTF-8 of at most a declared
 * number of bytes, stored after a 2-byte length.
 */
public enum FieldType {
    /** One signed byte. */
    BYTE(1),
    /** A 32-bit int. */
    INT(4),
    /** A 64-bit long. */
    LONG(8),
    /** A 64-bit IEEE double. */
    DOUBLE(8),
    /** Fixed-length bytes. */
    BYTES(1),
    /** A string of at most a given number of UTF-8 bytes. */
    STRING(2);

    private final int alignment;

    FieldType(int alignment) {
        this.alignment = alignment;
    }

    /** Alignment of the field within a record. */
    int alignment() {
        return alignment;
    }
}
