package dev.compliance.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command as shipped: runs the built jar ({@code cli/target/compliance.jar}, what {@code ./compliance}
 * execs) as a child process, from the repository root, exactly as the README shows it. Failsafe runs this
 * after {@code package}, so a dependency the shaded jar lacks, or a README example that stopped working,
 * turns the test command red.
 *
 * <p>To add a case: a row in {@link #badArguments()} for a refused argument, a name in the
 * {@code --help} list, or a test that compares the command's output with a golden file under examples/.
 */
class ShippedCommandsIT {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = REPO.resolve("cli/target/compliance.jar");

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isBlank() ? List.of() : err.lines().toList();
        }
    }

    static Run run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar built by package").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("shipped-out", ".txt");
        Path err = Files.createTempFile("shipped-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(REPO.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) { // a bound against a hang, not a timed assertion
                p.destroyForcibly();
                throw new AssertionError("compliance " + String.join(" ", args) + " did not finish; stderr: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Run evaluateExamples() throws IOException, InterruptedException {
        return run("evaluate", "--orgs", "examples/orgs.jsonl", "--events", "examples/events.jsonl");
    }

    @Test
    void evaluateOnTheExamplesPrintsTheGoldenVerdicts() throws Exception {
        Run r = evaluateExamples();
        assertThat(r.out()).isEqualTo(Files.readString(REPO.resolve("examples/evaluate.expected.jsonl")));
        assertThat(r.err()).isEqualTo(Files.readString(REPO.resolve("examples/evaluate.expected.stderr")));
        assertThat(r.exit()).as("one malformed line on purpose: exit 1").isEqualTo(1);
    }

    @Test
    void theReadmeShowsWhatEvaluatePrints() throws Exception {
        List<String> golden = new ArrayList<>(Files.readAllLines(REPO.resolve("examples/evaluate.expected.jsonl")));
        golden.addAll(Files.readAllLines(REPO.resolve("examples/evaluate.expected.stderr")));
        List<String> shown = readmeBlockAfter("./compliance evaluate --orgs examples/orgs.jsonl --events examples/events.jsonl");
        assertThat(shown).isNotEmpty();
        int last = -1;
        for (String line : shown) {
            if (line.equals("...")) {
                continue;
            }
            // a line shortened with "...)" in the README stands for the golden line it starts
            String prefix = line.contains("...") ? line.substring(0, line.indexOf("...")) : null;
            int at = -1;
            for (int i = last + 1; i < golden.size(); i++) {
                if (prefix == null ? golden.get(i).equals(line) : golden.get(i).startsWith(prefix)) {
                    at = i;
                    break;
                }
            }
            assertThat(at).as("README line, in order, in the golden output: %s", line).isGreaterThan(last);
            last = at;
        }
    }

    @Test
    void twoEvaluateRunsAtOnceBothSucceed() throws Exception {
        CompletableFuture<Run> first = CompletableFuture.supplyAsync(ShippedCommandsIT::evaluateUnchecked);
        CompletableFuture<Run> second = CompletableFuture.supplyAsync(ShippedCommandsIT::evaluateUnchecked);
        String expected = Files.readString(REPO.resolve("examples/evaluate.expected.jsonl"));
        for (Run r : List.of(first.get(), second.get())) {
            assertThat(r.out()).isEqualTo(expected);
            assertThat(r.exit()).isEqualTo(1);
        }
    }

    private static Run evaluateUnchecked() {
        try {
            return evaluateExamples();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "evaluate", "demo", "run", "produce", "produce generator", "produce otlp",
            "produce compliance-api", "produce usage-report", "topics", "catalog", "report", "report retention", "report violations"})
    void everyCommandHasHelp(String command) throws Exception {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: compliance" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void catalogPrintsTheRowsTheReadmeShows() throws Exception {
        Run r = run("catalog");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches("^[A-Z]+/[A-Z_]+ .*"))).hasSize(135);
        for (String line : readmeBlockAfter("./compliance catalog")) {
            assertThat(r.out().lines()).as("README's catalog line").contains(line);
        }
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("evaluate", "--orgs", "no-such-file.jsonl", "--events", "examples/events.jsonl"), "no-such-file.jsonl"),
                Arguments.of(List.of("evaluate"), "--orgs"),
                Arguments.of(List.of("evaluate", "--orgs", "examples/orgs.jsonl", "--events", "examples/events.jsonl", "--bogus"), "--bogus"),
                Arguments.of(List.of("no-such-command"), "no-such-command"),
                Arguments.of(List.of("catalog", "--file", "no-such-catalog.txt"), "no-such-catalog.txt"),
                Arguments.of(List.of("run", "--bootstrap-servers", ""), "bootstrap"),
                Arguments.of(List.of("report"), "retention or violations"),
                Arguments.of(List.of("report", "retention"), "--org"),
                Arguments.of(List.of("report", "retention", "--org", "org_acme_health", "--format", "xml"), "--format"),
                // the README's report commands, with nothing serving at the URL: one line saying so
                Arguments.of(List.of("report", "retention", "--org", "org_acme_health", "--url", "http://127.0.0.1:1", "--format", "table"),
                        "cannot reach the API at http://127.0.0.1:1"),
                Arguments.of(List.of("report", "violations", "--org", "org_acme_health", "--url", "http://127.0.0.1:1", "--format", "csv"),
                        "cannot reach the API"),
                Arguments.of(List.of("report", "violations", "--limit", "20", "--url", "http://127.0.0.1:1"), "cannot reach the API"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void aBadArgumentGetsOneLineAndExitTwo(List<String> args, String named) throws Exception {
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).as("stderr of %s", args).hasSize(1);
        assertThat(r.err()).contains(named).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /**
     * The lines of the README's output block that shows what {@code command} prints: the block after the
     * code block holding the command as a line of its own, or the block right after the prose line naming it.
     */
    static List<String> readmeBlockAfter(String command) throws IOException {
        List<String> readme = Files.readAllLines(REPO.resolve("README.md"));
        int i = readme.indexOf(command);
        if (i >= 0) {
            while (!readme.get(i).equals("```")) {
                i++; // to the closing fence of the command's block
            }
        } else {
            i = 0;
            while (i < readme.size() && !(readme.get(i).contains("`" + command + "`") && readme.get(i).endsWith(":"))) {
                i++;
            }
            assertThat(i).as("README shows %s", command).isLessThan(readme.size());
        }
        do {
            i++;
        } while (readme.get(i).isBlank());
        assertThat(readme.get(i)).as("an output block follows %s", command).isEqualTo("```");
        List<String> block = new ArrayList<>();
        for (i = i + 1; !readme.get(i).equals("```"); i++) {
            block.add(readme.get(i));
        }
        return block;
    }
}
