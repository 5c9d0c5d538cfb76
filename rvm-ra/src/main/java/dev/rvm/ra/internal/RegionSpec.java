package dev.rvm.ra.internal;

/**
 * One entry of the {@code regions} configuration property: the region {@code name} applications ask for, and the
 * bytes {@code [offset, offset + length)} of {@code segment} it maps. Immutable.
 *
 * @param name the name applications use
 * @param segment the segment file
 * @param offset first byte of the segment mapped
 * @param length number of bytes mapped
 */
public record RegionSpec(String name, String segment, long offset, long length) {

    /** The {@code name:segment:offset:length} form of the configuration. */
    @Override
    public String toString() {
        return name + ":" + segment + ":" + offset + ":" + length;
    }
}
