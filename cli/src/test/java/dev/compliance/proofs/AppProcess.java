package dev.compliance.proofs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link AppUnderTest} in its own JVM, on the test JVM's classpath. Each start is an
 * "incarnation" with its own log file; the settings file and the state directory stay the same across
 * incarnations, like a service restarted on the same machine.
 */
final class AppProcess {

    private final Process process;
    private final Path log;
    private final int incarnation;

    private AppProcess(Process process, Path log, int incarnation) {
        this.process = process;
        this.log = log;
        this.incarnation = incarnation;
    }

    /** Writes the settings to {@code dir/app.properties} (the same for every incarnation) and starts one. */
    static AppProcess start(Path dir, Map<String, String> settings, int incarnation) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("app.properties");
            Properties p = new Properties();
            p.putAll(settings);
            try (Writer out = Files.newBufferedWriter(file)) {
                p.store(out, "settings of the app under test");
            }
            Path log = dir.resolve("app-" + incarnation + ".log");
            List<String> command = List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    AppUnderTest.class.getName(), file.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new AppProcess(process, log, incarnation);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the app under test in " + dir, e);
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until Kafka Streams reports RUNNING (fails at once if the process died). */
    void awaitRunning(Duration bound) {
        Poll.until("app incarnation " + incarnation + " (pid " + pid() + ") to reach RUNNING", bound, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the app under test exited with code " + process.exitValue() + "; see " + log);
            }
            return logText().contains(" STATE RUNNING");
        }, this::lastLines);
    }

    /** SIGKILL: no shutdown hook, no clean close, an open transaction left behind. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: Kafka Streams closes cleanly (commits, closes its producers). */
    void stop() {
        process.destroy();
        awaitExit();
    }

    /** How many times a stream thread died and was replaced. */
    long threadReplacements() {
        return logText().lines().filter(l -> l.contains(" THREAD-REPLACED ")).count();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    String lastLines() {
        List<String> lines = logText().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
