package dev.rvm.tools;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A progress bar on standard error for long operations: a bar with a percentage when the fraction done is known,
 * a spinner with the elapsed time when it is not. Disabled (every call a no-op) unless output goes to a terminal
 * or the operator asked for it, so scripts and pipes see nothing. Used by one command; the spinner's redraw
 * thread is the only other thread, and it stops at {@link #close()}.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private final Thread spinner;
    private int shownPercent = -1;
    private volatile boolean closed;

    private Progress(PrintWriter err, String label, boolean enabled, boolean indeterminate) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
        if (enabled && indeterminate) {
            spinner = new Thread(this::spin, "rvm-tools-progress");
            spinner.setDaemon(true);
            spinner.start();
        } else {
            spinner = null;
        }
    }

    /** A bar for an operation whose fraction done will be reported with {@link #update}. */
    static Progress bar(boolean enabled, PrintWriter err, String label) {
        return new Progress(err, label, enabled, false);
    }

    /** A spinner for an operation that cannot say how far it is. */
    static Progress spinner(boolean enabled, PrintWriter err, String label) {
        return new Progress(err, label, enabled, true);
    }

    /** Runs {@code work} with a spinner going, for an operation that cannot say how far it is. */
    static <T> T spinning(boolean enabled, PrintWriter err, String label, Supplier<T> work) {
        Progress p = spinner(enabled, err, label);
        try {
            return work.get();
        } finally {
            p.close();
        }
    }

    /** Reports the fraction done, 0..1; redraws only when the shown percentage changes. */
    void update(double fraction) {
        if (!enabled || closed) {
            return;
        }
        int percent = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", percent));
        err.flush();
    }

    private void spin() {
        String frames = "|/-\\";
        int i = 0;
        while (!closed) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                err.print(String.format(Locale.ROOT, "\r%s %c %.1f s", label, frames.charAt(i++ % frames.length()),
                        (System.nanoTime() - started) / 1e9));
                err.flush();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (!enabled || closed) {
            return;
        }
        synchronized (this) {
            closed = true;
            if (spinner == null) {
                shownPercent = -1;
                err.print("\r" + label + " [" + "#".repeat(WIDTH) + "] 100%");
            } else {
                err.print(String.format(Locale.ROOT, "\r%s done in %.1f s", label, (System.nanoTime() - started) / 1e9));
            }
            err.println();
            err.flush();
        }
        if (spinner != null) {
            spinner.interrupt();
        }
    }
}
