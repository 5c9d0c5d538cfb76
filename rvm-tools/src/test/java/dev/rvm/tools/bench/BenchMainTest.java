package dev.rvm.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchMainTest {

    @Test
    void parsesEveryKindOfOption() {
        BenchOptions o = BenchMain.parse(new String[] {"--dir=/tmp/x", "--shm-dir=none", "--warmup=0.5",
            "--measure=2", "--threads=1,2", "--patterns=uniform", "--modes=flush,two_phase", "--log-mib=16",
            "--recovery-log-mib=0", "--truncation-latency=false", "--accounts=1000", "--keep=true"});
        assertEquals(Path.of("/tmp/x"), o.dir());
        assertNull(o.shmDir());
        assertEquals(0.5, o.warmupSeconds());
        assertEquals(2.0, o.measureSeconds());
        assertEquals(List.of(1, 2), o.threads());
        assertEquals(List.of(AccessPattern.UNIFORM), o.patterns());
        assertEquals(List.of(CommitStyle.FLUSH, CommitStyle.TWO_PHASE), o.styles());
        assertEquals(16L << 20, o.logSize());
        assertEquals(0, o.recoveryLogSize());
        assertEquals(false, o.truncationLatency());
        assertEquals(1000, o.accounts());
        assertEquals(true, o.keep());
    }

    @Test
    void helpReturnsNoOptions() {
        assertNull(BenchMain.parse(new String[] {"--help"}));
    }

    @Test
    void unknownOrMalformedOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchMain.parse(new String[] {"--bogus=1"}));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.parse(new String[] {"measure=1"}));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.parse(new String[] {"--threads=0"}));
    }
}
