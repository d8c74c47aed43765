package dev.compliance.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real schema registry on this machine: the Apicurio Registry distribution (in-memory storage) started as a
 * child process on 127.0.0.1 and a free port. {@link #url()} is its Confluent-compatible API. The global
 * compatibility rule is BACKWARD by default, as in Confluent's registry. {@link #close()} (or JVM exit) stops it.
 *
 * <p>The distribution is found in {@code -Dcompliance.apicurio.home} / {@code COMPLIANCE_APICURIO_HOME} (an unpacked
 * directory holding the runner jar), else unpacked once from the local Maven repository into
 * {@code ~/.cache/compliance/apicurio-2.6.13.Final}. Any build of the schemas module puts the tar.gz there.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    public static final String VERSION = "2.6.13.Final";
    public static final String HOME_PROPERTY = "compliance.apicurio.home";
    public static final String HOME_ENV = "COMPLIANCE_APICURIO_HOME";
    /** Directory for the registry's log file; defaults to ~/.cache/compliance/logs. */
    public static final String LOG_DIR_PROPERTY = "compliance.registry.log.dir";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final String FETCH_HINT = "fetch it with `mvn -B dependency:get -Dartifact=io.apicurio:apicurio-registry-app:"
        + VERSION + ":tar.gz:all -Dtransitive=false` (any build of the schemas module does this too), or point -D"
        + HOME_PROPERTY + " / " + HOME_ENV + " at an unpacked distribution";

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;
    private Duration startupTime = Duration.ZERO;

    private LocalSchemaRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcess, "local-schema-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a registry and waits (at most {@link #DEFAULT_START_TIMEOUT}) until its API answers. */
    public static LocalSchemaRegistry start() {
        return start(DEFAULT_START_TIMEOUT);
    }

    /** Starts a registry and waits at most {@code timeout} until its API answers. */
    public static LocalSchemaRegistry start(Duration timeout) {
        return start(timeout, "BACKWARD");
    }

    /**
     * Starts a registry with the given global compatibility rule (BACKWARD, FORWARD, FULL, ..., or NONE for no rule)
     * and waits at most {@code timeout} until its API answers. Note that Apicurio applies the global rule even to a
     * subject whose own level was set to NONE; choose NONE here when a test needs unchecked registrations.
     */
    public static LocalSchemaRegistry start(Duration timeout, String globalCompatibility) {
        Path home = locateDistribution();
        Path runner = runnerJar(home).orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + home + "; " + FETCH_HINT));
        int port = freePort();
        Path logFile = logDirectory().resolve("apicurio-registry-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-jar", runner.toString()));
        if (!globalCompatibility.equalsIgnoreCase("NONE")) {
            command.add(command.size() - 2, "-Dregistry.rules.global.compatibility=" + globalCompatibility.toUpperCase(Locale.ROOT));
        }
        long begin = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the Apicurio registry (" + runner + "): " + e.getMessage(), e);
        }
        LocalSchemaRegistry registry = new LocalSchemaRegistry(process, port, logFile);
        try {
            awaitReady(process, port, timeout, logFile);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        registry.startupTime = Duration.ofNanos(System.nanoTime() - begin);
        return registry;
    }

    /** Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:40123/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    /** Where the registry's console output goes. */
    public Path logFile() {
        return logFile;
    }

    /** How long it took from launching the process to the API answering. */
    public Duration startupTime() {
        return startupTime;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the registry: a polite stop, then a forced one if it does not exit within 15 s. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook is running or has run
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Polls the API until it answers 200, the process dies, or the time is up; waits on the process between polls. */
    private static void awaitReady(Process process, int port, Duration timeout, Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + CCOMPAT_PATH + "/subjects"))
            .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (process.waitFor(250, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the Apicurio registry exited with code " + process.exitValue()
                        + " while starting; see " + logFile);
                }
                try {
                    if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Apicurio registry to start", e);
        }
        throw new IllegalStateException("the Apicurio registry did not answer on port " + port + " within "
            + timeout.toSeconds() + " s; see " + logFile);
    }

    /** The unpacked distribution directory: the configured home, else the cache (unpacking the Maven tar.gz once). */
    public static Path locateDistribution() {
        String configured = System.getProperty(HOME_PROPERTY, System.getenv(HOME_ENV));
        if (configured != null && !configured.isBlank()) {
            Path home = Paths.get(configured);
            if (runnerJar(home).isEmpty()) {
                throw new IllegalStateException(HOME_PROPERTY + "/" + HOME_ENV + " is " + home
                    + " but it holds no apicurio-registry-app *-runner.jar; " + FETCH_HINT);
            }
            return home;
        }
        Path cached = cacheRoot().resolve("apicurio-" + VERSION);
        if (runnerJar(cached).isPresent()) {
            return cached;
        }
        Path tarball = mavenRepository().resolve(Paths.get("io", "apicurio", "apicurio-registry-app", VERSION,
            "apicurio-registry-app-" + VERSION + "-all.tar.gz"));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("Apicurio Registry " + VERSION + " distribution not found (looked for " + tarball
                + " and " + cached + "); " + FETCH_HINT);
        }
        unpack(tarball, cached);
        return cached;
    }

    /** Unpacks into a temporary sibling directory, then renames it into place, so a half-unpacked tree is never used. */
    private static void unpack(Path tarball, Path target) {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempDirectory(target.getParent(), "apicurio-unpack-");
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", temp.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!tar.waitFor(10, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IllegalStateException("unpacking " + tarball + " took more than 10 minutes");
            }
            if (tar.exitValue() != 0 || runnerJar(temp).isEmpty()) {
                throw new IllegalStateException("unpacking " + tarball + " failed (tar exit code " + tar.exitValue()
                    + "); delete it and fetch it again: " + FETCH_HINT);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // another process unpacked it first: use theirs
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + tarball + " into " + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking " + tarball, e);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    private static Optional<Path> runnerJar(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        if (local != null && !local.isBlank()) {
            return Paths.get(local);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Path cacheRoot() {
        return Paths.get(System.getProperty("user.home"), ".cache", "compliance");
    }

    private static Path logDirectory() {
        String configured = System.getProperty(LOG_DIR_PROPERTY);
        Path dir = configured != null && !configured.isBlank() ? Paths.get(configured) : cacheRoot().resolve("logs");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the registry log directory " + dir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }
}
