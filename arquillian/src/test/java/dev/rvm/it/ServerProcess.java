package dev.rvm.it;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The JVM of a managed WildFly that Arquillian started as a child of this one, found by its {@code jboss.home.dir},
 * so that a test can SIGKILL it. Stateless.
 */
final class ServerProcess {
    private ServerProcess() {
    }

    /** The live java processes whose {@code -Djboss.home.dir} is {@code home}. */
    static List<ProcessHandle> of(Path home) {
        String arg = "-Djboss.home.dir=" + home;
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(arg)).orElse(false))
                .collect(Collectors.toList());
    }

    /** SIGKILLs the one server process of {@code home} and waits until it is gone; returns when it was killed. */
    static long kill(Path home) throws InterruptedException {
        List<ProcessHandle> found = of(home);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one server process of " + home + ": " + found);
        }
        ProcessHandle p = found.get(0);
        long at = System.nanoTime();
        p.destroyForcibly(); // SIGKILL
        try {
            p.onExit().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("server " + p.pid() + " did not die within 60 s", e);
        }
        return at;
    }
}
