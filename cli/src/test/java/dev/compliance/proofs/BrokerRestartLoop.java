package dev.compliance.proofs;

import dev.compliance.it.PipelineContainers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker-restart proof ({@link ProofsIT#brokerRestarts}) run N times in a row, each on a fresh broker, with a
 * tally: pass or fail per run, the kill points, the duration. Not an *IT (the project's test command does not run
 * it); {@code ops/proofs/broker-restart-loop.sh N} does. Settings:
 * <ul>
 *   <li>{@code -Dproofs.loop.runs=N} (default 20);</li>
 *   <li>{@code -Dproofs.seed=S}: every run replays seed S (same traffic, same kill points); without it each run
 *       draws its own seed (printed in the tally);</li>
 *   <li>{@code -Dproofs.loop.restarts=K} broker restarts per run (default 2, the short size's);
 *       {@code -Dproofs.loop.events=E} records per run (default 800).</li>
 * </ul>
 * The tally is printed after every run and rewritten to {@code target/proofs/broker-restart-loop.md}; each run's
 * logs (app, broker, thread dumps of a stall) move to {@code target/proofs/broker-restart-loop/run-<n>/}.
 */
class BrokerRestartLoop {

    private static final Pattern KILLS = Pattern.compile("broker killed after record ([0-9, ]+);");

    @Test
    void brokerRestartProofPassesEveryRun() {
        int runs = Integer.getInteger("proofs.loop.runs", 20);
        int restarts = Integer.getInteger("proofs.loop.restarts", 2);
        int events = Integer.getInteger("proofs.loop.events", 800);
        Long fixedSeed = Long.getLong("proofs.seed");
        Random seeds = new Random();
        Path root = Path.of(System.getProperty("proofs.dir", "target/proofs"));
        Path runsDir = root.resolve("broker-restart-loop");
        Scenario.deleteTree(runsDir);
        Registry registry = Registry.shared();
        List<String> rows = new ArrayList<>();
        int passed = 0;
        for (int run = 1; run <= runs; run++) {
            long seed = fixedSeed != null ? fixedSeed : seeds.nextLong();
            long started = System.nanoTime();
            String outcome;
            String kills = "";
            String detail = "";
            try {
                // the proof's scenario seed is seed + 2, as in ProofsIT: -Dproofs.seed replays the suite's run
                Verdict v = ProofsIT.brokerRestarts(seed + 2, events, restarts, 5, registry);
                kills = v.notes.stream().map(KILLS::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse("");
                outcome = v.pass() && v.problems.isEmpty() ? "PASS" : "FAIL";
                detail = v.pass() ? "" : "verdict: missing " + v.outputs.missing() + ", duplicates " + v.outputs.duplicates()
                        + ", unexpected " + v.outputs.unexpected() + ", different " + v.outputs.mismatched() + " " + v.problems;
            } catch (AssertionError | RuntimeException e) {
                outcome = "FAIL";
                detail = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace('|', '/');
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            passed += outcome.equals("PASS") ? 1 : 0;
            moveRunLogs(root.resolve("broker-restart"), runsDir.resolve("run-" + run));
            if (!detail.isEmpty()) {
                write(runsDir.resolve("run-" + run).resolve("verdict.txt"), detail.replace(", compliance.", ",\ncompliance."));
            }
            rows.add(String.format("| %d | %s | %d | %s | %.0f | %s |", run, outcome, seed, kills, seconds,
                    detail.length() > 400 ? detail.substring(0, 400) + "..." : detail));
            String tally = tally(rows, passed, run, runs, restarts, events);
            System.out.println(tally);
            write(root.resolve("broker-restart-loop.md"), tally);
        }
        assertThat(passed).as("broker-restart runs passed (tally in " + root.resolve("broker-restart-loop.md") + ")").isEqualTo(runs);
    }

    private static String tally(List<String> rows, int passed, int done, int runs, int restarts, int events) {
        return "\nbroker-restart loop: " + passed + " of " + done + " passed (" + runs + " planned; " + restarts
                + " broker restart(s) and " + events + " records per run; broker image " + PipelineContainers.KAFKA_IMAGE + ")\n\n"
                + "| run | verdict | seed | broker killed after record | seconds | failure |\n|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n";
    }

    private static void moveRunLogs(Path from, Path to) {
        if (!Files.isDirectory(from)) {
            return;
        }
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.move(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the logs of " + from, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
