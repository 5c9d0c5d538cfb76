package dev.rvm.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.io.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The simulator itself: what survives a reboot, where a write tears, how crashes and force failures behave. */
class SimulatedStorageTest {
    private static final Path DIR = Path.of("/sim/test");
    private static final Path FILE = DIR.resolve("f");

    private static byte[] ones(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 1);
        return b;
    }

    private static SimulatedStorage withFile() throws IOException {
        SimulatedStorage s = new SimulatedStorage();
        s.createDirectories(DIR);
        s.create(FILE, 4096).close();
        return s;
    }

    @Test
    void unforcedWriteIsKeptLostOrTornAtASectorBoundaryDependingOnTheSeed() throws IOException {
        SimulatedStorage s = withFile();
        try (StorageFile f = s.open(FILE)) {
            f.write(100, ByteBuffer.wrap(ones(2000))); // spans sector boundaries 512, 1024, 1536, 2048
        }
        boolean kept = false;
        boolean lost = false;
        boolean torn = false;
        for (long seed = 0; seed < 200; seed++) {
            byte[] img = s.reboot(seed).bytes(FILE);
            int n = 0;
            while (n < 2000 && img[100 + n] == 1) {
                n++;
            }
            for (int i = 100 + n; i < img.length; i++) {
                assertEquals(0, img[i], "seed " + seed + ": only a prefix of the write may survive");
            }
            kept |= n == 2000;
            lost |= n == 0;
            if (n > 0 && n < 2000) {
                torn = true;
                assertEquals(0, (100 + n) % SimulatedStorage.SECTOR, "seed " + seed + ": torn at " + (100 + n));
            }
        }
        assertTrue(kept && lost && torn, "kept " + kept + ", lost " + lost + ", torn " + torn);
    }

    @Test
    void forcedWriteSurvivesEveryReboot() throws IOException {
        SimulatedStorage s = withFile();
        try (StorageFile f = s.open(FILE)) {
            f.write(0, ByteBuffer.wrap(ones(3000)));
            f.force();
        }
        for (long seed = 0; seed < 20; seed++) {
            assertArrayEquals(ones(3000), Arrays.copyOf(s.reboot(seed).bytes(FILE), 3000));
        }
    }

    @Test
    void crashAtAnOperationThrowsThereAndRefusesEverythingAfter() throws IOException {
        SimulatedStorage s = withFile();
        long base = s.operations();
        s.crashAtOperation(base + 1);
        StorageFile f = s.open(FILE);
        f.write(0, ByteBuffer.wrap(ones(10)));
        assertThrows(SimulatedCrash.class, f::force);
        assertTrue(s.crashed());
        assertThrows(SimulatedCrash.class, () -> f.read(0, ByteBuffer.allocate(1)));
        assertThrows(SimulatedCrash.class, () -> s.exists(FILE));
        f.close(); // a dead process closes nothing; harmless
    }

    @Test
    void failedForceThrowsOnceAndLeavesTheWritesUnforced() throws IOException {
        SimulatedStorage s = withFile();
        s.failNextForce();
        try (StorageFile f = s.open(FILE)) {
            f.write(0, ByteBuffer.wrap(ones(10)));
            assertThrows(IOException.class, f::force);
            assertEquals(1, s.unforcedWrites(FILE));
            assertEquals(1, s.failedForces());
            f.force();
            assertEquals(0, s.unforcedWrites(FILE));
        }
    }

    @Test
    void lockExcludesASecondHolderUntilReleasedAndIsNotCarriedOverAReboot() throws IOException {
        SimulatedStorage s = withFile();
        Closeable lock = s.tryLock(FILE);
        assertNotNull(lock);
        assertNull(s.tryLock(FILE));
        assertNotNull(s.reboot(0).tryLock(FILE));
        lock.close();
        assertNotNull(s.tryLock(FILE));
    }

    @Test
    void createRefusesAnExistingFileAndAMissingDirectory() throws IOException {
        SimulatedStorage s = withFile();
        assertThrows(FileAlreadyExistsException.class, () -> s.create(FILE, 1));
        assertThrows(NoSuchFileException.class, () -> s.create(Path.of("/sim/none/x"), 1));
        assertTrue(s.reboot(3).exists(FILE), "a created file survives a reboot");
    }
}
