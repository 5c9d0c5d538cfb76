package dev.rvm.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The map benchmark runs every case on both maps and prints a ratio per case (tiny durations: no timing asserted). */
class MapBenchTest {
    @TempDir
    Path dir;

    @Test
    void everyCasePrintsBothRatesAndTheirRatio() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<double[]> figures = MapBenchMain.run(new MapBenchMain.Options(dir.resolve("m"), 2000, 0.05, 0.1,
                List.of(1, 2)), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(8, figures.size(), out);
        for (double[] f : figures) {
            assertTrue(f[0] > 0 && f[1] > 0, out);
        }
        assertEquals(8, out.lines().filter(l -> l.contains("RVM/MVMap")).count(), out);
        assertTrue(out.contains("memory per entry: RVM"), out);
    }
}
