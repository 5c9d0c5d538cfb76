package dev.rvm.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The WildFly the build unpacked, run as {@code bin/standalone.sh} with a port offset, the archives copied into
 * {@code standalone/deployments} before boot so that the deployment scanner deploys them (as {@code -Prun} deploys
 * the RAR); the copy of the RAR gets the connection definition of case rvm-lazy ({@link LazyDefinition}). Started in
 * the background, its console in {@code console.log} of its home; {@link #close()} stops it with SIGTERM (a clean
 * shutdown) and, if it is still there after a minute, kills it. The two-server mode runs two of them, each on its own
 * copy of the unpacked server ({@link TwoServers}). Not thread-safe: the driver's main thread starts and stops it.
 */
final class WildFly implements AutoCloseable {
    /** The archives deployed, in this order; the WAR depends on the RAR and on the JDBC driver. */
    static final List<String> ARCHIVES = List.of("rvm-ra.rar", "postgresql.jar", "rvm-bench.war");

    private static final long BOOT_SECONDS = 240;

    private final Path home;
    private final int portOffset;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private Process process;

    /**
     * @param home the unpacked server
     * @param portOffset added to every port (http 8080 + offset)
     * @param properties system properties for the server ({@code -Dk=v})
     * @param jvmOptions extra JVM options (e.g. a flight recording)
     */
    WildFly(Path home, int portOffset, Map<String, String> properties, List<String> jvmOptions) {
        this.home = home;
        this.portOffset = portOffset;
        this.properties = Map.copyOf(properties);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** @return the unpacked server this runs */
    Path home() {
        return home;
    }

    /** @return the HTTP port */
    int httpPort() {
        return 8080 + portOffset;
    }

    /**
     * Changes the server's configuration before it boots: runs {@code commands} (management CLI operations) in an
     * embedded, offline server.
     */
    void configure(List<String> commands) throws IOException {
        Path script = home.resolve("bench-config.cli");
        List<String> lines = new ArrayList<>();
        lines.add("embed-server --std-out=discard");
        lines.addAll(commands);
        lines.add("stop-embedded-server");
        Files.write(script, lines);
        Processes.run(List.of(home.resolve("bin/jboss-cli.sh").toString(), "--file=" + script), home,
                home.resolve("bench-config.log"), 180);
    }

    /**
     * Runs the management CLI script {@code script} (which embeds the server itself, offline) with
     * {@code properties} as system properties of the CLI, for the {@code ${...}} in the script.
     */
    void runScript(Path script, Map<String, String> properties) throws IOException {
        Path file = home.resolve("bench-cli.properties");
        List<String> lines = new ArrayList<>();
        properties.forEach((k, v) -> lines.add(k + "=" + v));
        Files.write(file, lines);
        Processes.run(List.of(home.resolve("bin/jboss-cli.sh").toString(), "--file=" + script.toAbsolutePath(),
                "--properties=" + file), home, home.resolve("bench-config.log"), 180);
    }

    /** Adds the application user {@code user} ({@code bin/add-user.sh -a}, realm {@code ApplicationRealm}). */
    void addApplicationUser(String user, String password) throws IOException {
        Processes.run(List.of(home.resolve("bin/add-user.sh").toString(), "-a", "-s", "-u", user, "-p", password),
                home, home.resolve("bench-config.log"), 120);
    }

    /** Copies {@link #ARCHIVES} from {@code archives}, starts the server, and waits until all are deployed. */
    void start(Path archives) throws IOException {
        deploy(archives);
        boot();
    }

    /**
     * Copies {@link #ARCHIVES} from {@code archives} into {@code standalone/deployments}, where the scanner finds them
     * at boot; the RAR's copy gets the connection definition of case rvm-lazy. A copy may be changed further
     * ({@link #deployment}) until {@link #boot}.
     */
    void deploy(Path archives) throws IOException {
        Path deployments = deployments();
        if (!Files.isDirectory(deployments)) {
            throw new IOException("no WildFly at " + home + " (the build unpacks org.wildfly:wildfly-dist there)");
        }
        for (String a : ARCHIVES) {
            Files.copy(archives.resolve(a), deployments.resolve(a), StandardCopyOption.REPLACE_EXISTING);
        }
        LazyDefinition.addToRar(deployments.resolve(ARCHIVES.get(0)));
    }

    /** @return the copy of archive {@code name} (one of {@link #ARCHIVES}) that the server deploys */
    Path deployment(String name) {
        return deployments().resolve(name);
    }

    /** Starts the server on what {@link #deploy} copied, and waits until all of it is deployed. */
    void boot() throws IOException {
        Path deployments = deployments();
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.socket.binding.port-offset=" + portOffset));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        // standalone.conf keeps JAVA_OPTS when it is set: the defaults it would use, a larger heap, and ours.
        List<String> opts = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:MetaspaceSize=96M",
                "-XX:MaxMetaspaceSize=384m", "-Djava.net.preferIPv4Stack=true", "-Djava.awt.headless=true",
                "-Djboss.modules.system.pkgs=org.jboss.byteman"));
        opts.addAll(jvmOptions);
        pb.environment().put("JAVA_OPTS", String.join(" ", opts));
        // The script then forwards SIGTERM to the server's JVM and waits for it.
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        process = pb.start();
        waitForDeployments(deployments);
    }

    private Path deployments() {
        return home.resolve("standalone/deployments");
    }

    /** The server JVM's process id (a child of the script), e.g. for {@code jcmd}. */
    Optional<Long> serverPid() {
        if (process == null) {
            return Optional.empty();
        }
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    /** @return the server's console output */
    Path consoleLog() {
        return home.resolve("console.log");
    }

    @Override
    public void close() throws IOException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            for (ProcessHandle p : all) {
                p.onExit().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            all.forEach(ProcessHandle::destroyForcibly);
            throw new IOException("WildFly did not stop within 60 s of SIGTERM; killed", e);
        } finally {
            process = null;
        }
    }

    private void waitForDeployments(Path deployments) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_SECONDS);
        for (;;) {
            int deployed = 0;
            for (String a : ARCHIVES) {
                Path failed = deployments.resolve(a + ".failed");
                if (Files.exists(failed)) {
                    throw new IOException(a + " failed to deploy: " + Files.readString(failed).strip() + "; "
                            + Processes.tail(consoleLog()));
                }
                if (Files.exists(deployments.resolve(a + ".deployed"))) {
                    deployed++;
                }
            }
            if (deployed == ARCHIVES.size()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("WildFly exited with " + process.exitValue() + " while booting; "
                        + Processes.tail(consoleLog()));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("WildFly has not deployed " + ARCHIVES + " within " + BOOT_SECONDS + " s; "
                        + Processes.tail(consoleLog()));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for WildFly", e);
            }
        }
    }
}
