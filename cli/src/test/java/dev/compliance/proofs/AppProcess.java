package dev.compliance.proofs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
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

    /** {@code -Dproofs.debug=true}: the app logs its consumer coordinator and transactional producer at DEBUG. */
    static final String DEBUG_PROPERTY = "proofs.debug";

    private final Process process;
    private final Path log;
    private final int incarnation;
    private int dumps;

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
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            if (Boolean.getBoolean(DEBUG_PROPERTY)) {
                // the consumer coordinator and the transactional producer at DEBUG, into the app's log
                command.add("-Dlog4j2.configurationFile="
                        + Path.of(AppProcess.class.getResource("/proofs/app-debug-log4j2.xml").toURI()));
            }
            if (Boolean.getBoolean("proofs.dumpPolicies")) {
                command.add("-Dproofs.dumpPolicies=true");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), AppUnderTest.class.getName(), file.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new AppProcess(process, log, incarnation);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the app under test in " + dir, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
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

    /**
     * A thread dump of the running app ({@code jcmd <pid> Thread.print}, the JDK's own tool), also written to
     * {@code app-<n>-threads-<k>.txt} beside the log; empty if the process is gone or jcmd failed.
     */
    String threadDump() {
        if (!process.isAlive()) {
            return "";
        }
        try {
            Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!dump.waitFor(60, TimeUnit.SECONDS) || dump.exitValue() != 0) {
                return "";
            }
            Files.writeString(log.resolveSibling("app-" + incarnation + "-threads-" + (++dumps) + ".txt"), text);
            return text;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The stack of each Kafka Streams stream thread in a thread dump: its state and its Kafka frames. */
    static String streamThreadStacks(String dump) {
        StringBuilder out = new StringBuilder();
        for (String block : dump.split("\\R\\s*\\R")) {
            String first = block.strip().lines().findFirst().orElse("");
            if (!first.startsWith("\"") || !first.contains("-StreamThread-")) {
                continue;
            }
            out.append(first, 0, first.indexOf('"', 1) + 1);
            block.lines().skip(1).map(String::strip)
                    .filter(l -> l.startsWith("java.lang.Thread.State") || l.startsWith("at org.apache.kafka")
                            || l.startsWith("at dev.compliance"))
                    .limit(16).forEach(l -> out.append("\n    ").append(l));
            out.append('\n');
        }
        return out.toString();
    }

    /** The last {@code STATE} line the app printed (e.g. {@code 03:39:08.916 STATE REBALANCING}). */
    String lastState() {
        return logText().lines().filter(l -> l.contains(" STATE ")).reduce((a, b) -> b).orElse("none yet");
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
