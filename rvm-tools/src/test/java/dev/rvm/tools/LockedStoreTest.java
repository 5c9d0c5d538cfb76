package dev.rvm.tools;

import static dev.rvm.tools.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rvm.core.RecoverableMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store held by a running process: read-only commands say so and work; changing commands refuse. */
class LockedStoreTest {
    @TempDir
    Path dir;

    @Test
    void readOnlyCommandsWorkAndSayTheStoreIsHeld() {
        Fixtures.storeWithCommits(dir, 3);
        try (RecoverableMemory held = RecoverableMemory.open(Fixtures.options(dir))) {
            for (List<String> cmd : List.of(List.of("status"), List.of("dump"), List.of("verify"), List.of("stats"),
                    List.of("in-doubt", "list"))) {
                String[] args = new ArrayList<String>(cmd) {
                    private static final long serialVersionUID = 1L;

                    {
                        add(dir.toString());
                    }
                }.toArray(new String[0]);
                Fixtures.Run r = run(args);
                assertEquals(ExitCodes.OK, r.exit(), cmd + ": " + r);
                assertTrue(r.err().contains("open in a running process"), cmd + ": " + r);
            }
            assertTrue(run("status", dir.toString()).out().contains("lock            held"));
            assertTrue(held.isOpen());
        }
    }

    @Test
    void changingCommandsRefuseAHeldStore() {
        Fixtures.storeWithCommits(dir, 3);
        try (RecoverableMemory held = RecoverableMemory.open(Fixtures.options(dir))) {
            for (String[] args : List.of(new String[] {"recover", dir.toString()},
                    new String[] {"truncate", dir.toString()},
                    new String[] {"create-segment", "--size", "4K", dir.toString(), "more"},
                    new String[] {"in-doubt", "commit", dir.toString(), "abcd"},
                    new String[] {"in-doubt", "rollback", dir.toString(), "abcd"},
                    new String[] {"stats", "--open", dir.toString()})) {
                Fixtures.Run r = run(args);
                assertEquals(ExitCodes.LOCKED, r.exit(), String.join(" ", args) + ": " + r);
                assertTrue(r.err().lines().anyMatch(l -> l.startsWith("rvm-tools: refusing to")
                        && l.contains("open in a running process")), r.toString());
            }
            assertTrue(held.isOpen());
            assertEquals(false, held.segmentExists("more"));
        }
    }
}
