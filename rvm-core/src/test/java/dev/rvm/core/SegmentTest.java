package dev.rvm.core;

import static dev.rvm.core.RvmAssertions.assertRvm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Creating segments: names, duplicates, symbolic links and file permissions. */
class SegmentTest {
    @TempDir
    Path dir;

    private RecoverableMemory open() {
        return RecoverableMemory.open(RvmAssertions.small(dir).build());
    }

    private Path segmentFile(String name) {
        return dir.resolve("segments").resolve(name + ".seg");
    }

    @Test
    void createdSegmentExistsWithItsSizeAndReadsAsZeros() {
        try (RecoverableMemory rvm = open()) {
            assertFalse(rvm.segmentExists("data"));
            rvm.createSegment("data", 10_000);
            assertTrue(rvm.segmentExists("data"));
            assertEquals(10_000, rvm.segmentSize("data"));
            assertTrue(Files.isRegularFile(segmentFile("data")));
            Region r = rvm.map("data", 0, 10_000);
            for (long i = 0; i < 10_000; i += 8) {
                assertEquals(0, r.getLong(i));
            }
        }
    }

    @Test
    void duplicateSegmentIsSegmentExistsAlsoAfterReopen() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("data", 64);
            assertRvm(ErrorCode.SEGMENT_EXISTS, () -> rvm.createSegment("data", 64));
            assertRvm(ErrorCode.SEGMENT_EXISTS, () -> rvm.createSegment("data", 128));
            assertEquals(64, rvm.segmentSize("data"));
        }
        try (RecoverableMemory rvm = open()) {
            assertRvm(ErrorCode.SEGMENT_EXISTS, () -> rvm.createSegment("data", 64));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a/b", "", ".hidden", "..", ".", "a\\b", "x/../y", "-dash", "a\u0000b",
        "sp ace"})
    void badSegmentNameIsRefused(String name) {
        try (RecoverableMemory rvm = open()) {
            assertRvm(ErrorCode.BAD_SEGMENT_NAME, () -> rvm.createSegment(name, 64));
            assertFalse(rvm.segmentExists(name));
        }
        assertFalse(Files.exists(dir.resolve("x.seg")));
        assertFalse(Files.exists(Path.of("/abs.seg")));
    }

    @Test
    void tooLongSegmentNameIsRefusedAndLongestAccepted() {
        try (RecoverableMemory rvm = open()) {
            assertRvm(ErrorCode.BAD_SEGMENT_NAME, () -> rvm.createSegment("a".repeat(101), 64));
            assertRvm(ErrorCode.BAD_SEGMENT_NAME, () -> rvm.createSegment("a".repeat(10_000), 64));
            rvm.createSegment("a".repeat(100), 64);
            assertTrue(rvm.segmentExists("a".repeat(100)));
        }
    }

    @Test
    void nullNameIsBadSegmentNameAndNonPositiveSizeIllegalArgument() {
        try (RecoverableMemory rvm = open()) {
            assertRvm(ErrorCode.BAD_SEGMENT_NAME, () -> rvm.createSegment(null, 64));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.createSegment("s", 0));
            assertRvm(ErrorCode.ILLEGAL_ARGUMENT, () -> rvm.createSegment("s", -1));
            assertFalse(rvm.segmentExists("s"));
        }
    }

    @Test
    void unknownSegmentIsNoSuchSegment() {
        try (RecoverableMemory rvm = open()) {
            assertRvm(ErrorCode.NO_SUCH_SEGMENT, () -> rvm.map("nope", 0, 8));
            assertRvm(ErrorCode.NO_SUCH_SEGMENT, () -> rvm.segmentSize("nope"));
        }
    }

    @Test
    void symbolicLinkPlantedAsSegmentFileIsRefusedAndItsTargetUntouched() throws Exception {
        Path target = dir.resolve("victim.txt");
        Files.writeString(target, "precious");
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("other", 64); // creates segments/
            Files.createSymbolicLink(segmentFile("evil"), target);
            assertRvm(ErrorCode.SEGMENT_EXISTS, () -> rvm.createSegment("evil", 64));
            assertFalse(rvm.segmentExists("evil"));
        }
        assertEquals("precious", Files.readString(target));
    }

    @Test
    void segmentFileReplacedBySymbolicLinkIsRefusedAtReopen() throws Exception {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 64);
        }
        Path real = dir.resolve("moved.seg");
        Files.move(segmentFile("s"), real);
        Files.createSymbolicLink(segmentFile("s"), real);
        byte[] before = Files.readAllBytes(real);
        assertRvm(ErrorCode.SEGMENT_CORRUPT, this::open);
        assertArrayEquals(before, Files.readAllBytes(real));
    }

    @Test
    void symbolicLinkAsSegmentsDirectoryIsNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path store = dir.resolve("store");
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(store).build())) {
            Files.createSymbolicLink(store.resolve("segments"), elsewhere);
            assertRvm(ErrorCode.SEGMENT_CORRUPT, () -> rvm.createSegment("s", 64));
            assertFalse(rvm.segmentExists("s"));
        }
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "a segment was created through the symbolic link");
        }
    }

    @Test
    void segmentsDirectoryReplacedBySymbolicLinkIsRefusedAtReopen() throws Exception {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("s", 64);
        }
        Path moved = dir.resolve("moved");
        Files.move(dir.resolve("segments"), moved);
        Files.createSymbolicLink(dir.resolve("segments"), moved);
        assertRvm(ErrorCode.SEGMENT_CORRUPT, this::open);
    }

    @Test
    void filesAndDirectoriesAreOwnerOnly() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path store = dir.resolve("store");
        try (RecoverableMemory rvm = RecoverableMemory.open(RvmAssertions.small(store).build())) {
            rvm.createSegment("s", 64);
        }
        Set<PosixFilePermission> file = PosixFilePermissions.fromString("rw-------");
        Set<PosixFilePermission> directory = PosixFilePermissions.fromString("rwx------");
        assertEquals(file, perms(store.resolve(RvmOptions.LOG_FILE_NAME)), "log");
        assertEquals(file, perms(store.resolve("segments").resolve("s.seg")), "segment file");
        assertEquals(file, perms(store.resolve("rvm.lock")), "lock file");
        assertEquals(directory, perms(store), "store directory");
        assertEquals(directory, perms(store.resolve("segments")), "segments directory");
    }

    private static Set<PosixFilePermission> perms(Path p) throws Exception {
        return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void segmentNamesMayUseLettersDigitsDotDashUnderscoreAndAreCaseSensitive() {
        try (RecoverableMemory rvm = open()) {
            rvm.createSegment("Data_1.v2-x", 64);
            assertTrue(rvm.segmentExists("Data_1.v2-x"));
            assertFalse(rvm.segmentExists("data_1.v2-x"));
        }
    }
}
