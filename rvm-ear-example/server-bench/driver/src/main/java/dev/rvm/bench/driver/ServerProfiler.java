package dev.rvm.bench.driver;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * async-profiler ({@code tools.profiler:async-profiler}, whose {@code libasyncProfiler.so} the build unpacks) loaded
 * into the running server through the JDK's attach API for one measured window: {@link #opened} starts it when the
 * window opens, {@link #closed} stops it when it closes and writes the collapsed stacks ({@code .collapsed}, one line
 * per stack with its sample count, the input of flame graph tools) and then a flame graph ({@code .html}) of the same
 * samples.
 * Mode {@code cpu} samples threads on the CPU every millisecond (perf events, or the CPU timer where they are not
 * allowed); {@code wall} samples every thread every 5 ms whatever it is doing, so parks and waits show. Not
 * thread-safe: the driver's main thread calls it.
 */
final class ServerProfiler implements LoadRun.Window {
    private final Path library;
    private final String mode;
    private final long pid;
    private final Path out;

    /**
     * @param library {@code libasyncProfiler.so}
     * @param mode {@code cpu} or {@code wall}
     * @param pid the server's process id
     * @param out the output's path without extension ({@code .collapsed} and {@code .html} are added)
     * @throws IllegalArgumentException for another mode
     */
    ServerProfiler(Path library, String mode, long pid, Path out) {
        if (!mode.equals("cpu") && !mode.equals("wall")) {
            throw new IllegalArgumentException("profile mode is cpu or wall: " + mode);
        }
        this.library = library;
        this.mode = mode;
        this.pid = pid;
        this.out = out;
    }

    /** The files written by {@link #stop}: collapsed stacks and the flame graph. */
    Path[] files() {
        return new Path[] {Path.of(out + ".collapsed"), Path.of(out + ".html")};
    }

    @Override
    public void opened() throws IOException {
        if (!Files.isRegularFile(library)) {
            throw new IOException("no async-profiler library at " + library);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        load(String.format(Locale.ROOT, "start,event=%s,interval=%s", mode, mode.equals("cpu") ? "1ms" : "5ms"));
    }

    @Override
    public void closed() throws IOException {
        stop();
    }

    /** Stops profiling and writes {@link #files()}. */
    void stop() throws IOException {
        Path[] f = files();
        load("stop,collapsed,file=" + f[0].toAbsolutePath());
        load("dump,flamegraph,title=" + mode + "_" + out.getFileName() + ",file=" + f[1].toAbsolutePath());
    }

    private void load(String options) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to the server (pid " + pid + "): " + e.getMessage(), e);
        }
        try {
            vm.loadAgentPath(library.toAbsolutePath().toString(), options);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new IOException("async-profiler refused '" + options + "': " + e.getMessage(), e);
        } finally {
            vm.detach();
        }
    }
}
