package dev.rvm.core.internal;

import dev.rvm.core.internal.log.LogFile;
import dev.rvm.core.internal.log.LogRecord;
import dev.rvm.core.internal.log.LogScanner;
import dev.rvm.core.internal.replay.PageApplier;
import dev.rvm.core.internal.replay.Replayer;
import java.io.IOException;
import java.util.List;

/**
 * Crash recovery — the scan and replay half. Reads the chain of valid records from the head, refuses a log damaged
 * in the middle, replays every committed record onto the segments and forces them. What remains prepared without
 * an outcome is handed back to the engine, which copies those records forward and rebuilds the branches in doubt.
 * Running it twice gives the same bytes: replay writes absolute values, in log order. Not thread-safe; runs
 * inside {@code open}.
 */
final class Recovery {
    /**
     * What recovery found.
     *
     * @param endReason why the scan ended at {@code tail}
     * @param tornTail  whether it ended at a record begun but not finished, which recovery discards
     */
    record Result(long tail, int lastEpoch, List<LogRecord> inDoubt, long records, long bytes, long nanos,
            String endReason, boolean tornTail) {
    }

    private Recovery() {
    }

    static Result run(LogFile log, int storeIdLow, long head, SegmentRegistry segments) throws IOException {
        long t0 = System.nanoTime();
        PageApplier applier = new PageApplier(segments::byId);
        Replayer replayer = new Replayer(applier, head);
        LogScanner scanner = new LogScanner(log, storeIdLow, head, head + log.capacity(), 0);
        LogRecord r;
        while ((r = scanner.nextView()) != null) {
            replayer.accept(r);
        }
        scanner.checkNoDurableRecordAfterEnd();
        applier.finish();
        return new Result(scanner.position(), scanner.epoch(), replayer.unresolved(), replayer.records(),
                replayer.bytes(), System.nanoTime() - t0, scanner.endReason(), scanner.endTorn());
    }
}
