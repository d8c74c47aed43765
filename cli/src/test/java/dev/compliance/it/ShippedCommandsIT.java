package dev.compliance.it;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command as shipped: runs the built jar ({@code cli/target/compliance.jar}, what {@code ./compliance}
 * execs) as a child process, from the repository root, exactly as the docs show it (docs/policy.md's
 * evaluate and catalog blocks, docs/sources.md's OTLP receiver, docs/api.md's report commands). Failsafe runs
 * this after {@code package}, so a dependency the shaded jar lacks, or a documented example that stopped
 * working, turns the test command red.
 *
 * <p>To add a case: a row in {@link #badArguments()} for a refused argument, a name in the
 * {@code --help} list, or a test that compares the command's output with a golden file under examples/.
 */
class ShippedCommandsIT {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = REPO.resolve("cli/target/compliance.jar");
    /** Where the evaluate, catalog and policy commands are shown with their output. */
    static final Path POLICY_DOC = REPO.resolve("docs/policy.md");
    /** Where the OTLP receiver's tokens recipe and command are shown. */
    static final Path SOURCES_DOC = REPO.resolve("docs/sources.md");

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
    void thePolicyDocShowsWhatEvaluatePrints() throws Exception {
        List<String> golden = new ArrayList<>(Files.readAllLines(REPO.resolve("examples/evaluate.expected.jsonl")));
        golden.addAll(Files.readAllLines(REPO.resolve("examples/evaluate.expected.stderr")));
        List<String> shown = blockAfter(POLICY_DOC, "./compliance evaluate --orgs examples/orgs.jsonl --events examples/events.jsonl");
        assertThat(shown).isNotEmpty();
        int last = -1;
        for (String line : shown) {
            if (line.equals("...")) {
                continue;
            }
            // a line shortened with "...)" in the doc stands for the golden line it starts
            String prefix = line.contains("...") ? line.substring(0, line.indexOf("...")) : null;
            int at = -1;
            for (int i = last + 1; i < golden.size(); i++) {
                if (prefix == null ? golden.get(i).equals(line) : golden.get(i).startsWith(prefix)) {
                    at = i;
                    break;
                }
            }
            assertThat(at).as("docs/policy.md line, in order, in the golden output: %s", line).isGreaterThan(last);
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
            "produce compliance-api", "produce usage-report", "topics", "catalog", "catalog diff", "catalog publish",
            "policy", "policy validate", "policy diff", "policy apply", "policy list", "policy show",
            "report", "report retention", "report violations"})
    void everyCommandHasHelp(String command) throws Exception {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: compliance" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void evaluateReadsAPolicyFileAsPolicyDoes() throws Exception {
        Run r = run("evaluate", "--orgs", "examples/policies.yaml", "--events", "examples/events.jsonl");
        assertThat(r.out()).contains("{\"eventId\":\"e11\",\"violations\":[],"); // hooli: in the policy file, not in orgs.jsonl
        assertThat(evaluateExamples().out()).contains("{\"eventId\":\"e11\",\"violations\":[\"UNKNOWN_ORG\"],");
    }

    @Test
    void policyValidateNamesEveryProblemWithItsLine() throws Exception {
        Run ok = run("policy", "validate", "examples/policies.yaml");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).isEqualTo("examples/policies.yaml: 8 entries for 5 orgs, valid\n");
        Path bad = Files.createTempFile("policies", ".yaml");
        Files.writeString(bad, "- orgId: acme\n  effectiveFrom: 2026-01-01T00:00:00Z\n  customRetentionDays: 0\n"
                + "- orgId: acme\n  effectiveFrom: 2026-01-01T00:00:00Z\n  allowedPlans: [ENTERPRIZE]\n");
        try {
            Run r = run("policy", "validate", bad.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.errLines()).containsExactly(
                    bad + ":1: customRetentionDays 0 is outside 1..3650",
                    bad + ":4: field 'allowedPlans': unknown Plan 'ENTERPRIZE' (expected one of [FREE, PRO, MAX, TEAM, ENTERPRISE, API, BEDROCK, VERTEX, FOUNDRY])",
                    "compliance policy: " + bad + " has 2 problem(s); nothing was published");
        } finally {
            Files.delete(bad);
        }
    }

    @Test
    void catalogPrintsTheRowsThePolicyDocShows() throws Exception {
        Run r = run("catalog");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches("^[A-Z]+/[A-Z_]+ .*"))).hasSize(135);
        for (String line : blockAfter(POLICY_DOC, "./compliance catalog")) {
            assertThat(r.out().lines()).as("docs/policy.md's catalog line").contains(line);
        }
    }

    @Test
    void catalogConflictsListsTheSixConflictsThePolicyDocShows() throws Exception {
        Run r = run("catalog", "--conflicts");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches("^[a-z-]+: .*\\[[0-9 ]+\\]$"))).hasSize(6);
        assertThat(r.out().lines().filter(l -> l.startsWith("  used: "))).hasSize(6);
        for (String line : blockAfter(POLICY_DOC, "./compliance catalog --conflicts")) {
            assertThat(r.out().lines()).as("docs/policy.md's conflicts line").contains(line);
        }
    }

    @Test
    void evaluateExplainStatesTheSevenYearTrustAndSafetyHoldForEveryEvent() throws Exception {
        Run r = run("evaluate", "--explain", "--orgs", "examples/orgs.jsonl", "--events", "examples/events.jsonl");
        long events = Files.readAllLines(REPO.resolve("examples/evaluate.expected.jsonl")).size();
        assertThat(r.out().lines()).hasSize((int) events)
                .allSatisfy(l -> assertThat(l).contains("\"alsoKept\":[\"trust and safety scores (metadata, not content) may be kept 7 years (seed 003)"));
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("evaluate", "--orgs", "no-such-file.jsonl", "--events", "examples/events.jsonl"), "no-such-file.jsonl"),
                Arguments.of(List.of("evaluate"), "--orgs"),
                Arguments.of(List.of("evaluate", "--orgs", "examples/orgs.jsonl", "--events", "examples/events.jsonl", "--bogus"), "--bogus"),
                Arguments.of(List.of("no-such-command"), "no-such-command"),
                Arguments.of(List.of("catalog", "--file", "no-such-catalog.txt"), "no-such-catalog.txt"),
                Arguments.of(List.of("run", "--bootstrap-servers", ""), "bootstrap"),
                Arguments.of(List.of("policy", "validate", "no-such-policies.yaml"), "no-such-policies.yaml"),
                Arguments.of(List.of("policy", "validate", "examples/evaluate.expected.stderr"), "YAML"),
                Arguments.of(List.of("policy", "show"), "--org"),
                Arguments.of(List.of("policy", "show", "--org", "acme", "--at", "yesterday"), "yesterday"),
                Arguments.of(List.of("policy"), "subcommand"),
                Arguments.of(List.of("catalog", "publish"), "--file"),
                Arguments.of(List.of("produce", "usage-report", "--org-id", "org_x", "--reread", "yesterday"), "--reread"),
                Arguments.of(List.of("produce", "compliance-api", "--org-id", "org_x", "--since", "last week"), "--since"),
                Arguments.of(List.of("produce", "otlp", "--tokens-file", "no-such-tokens.txt"), "no-such-tokens.txt"),
                Arguments.of(List.of("produce", "otlp", "--tokens-file", "README.md", "--default-org", "org_a"),
                        "--default-org"),
                Arguments.of(List.of("report"), "retention or violations"),
                Arguments.of(List.of("report", "retention"), "--org"),
                Arguments.of(List.of("report", "retention", "--org", "org_acme_health", "--format", "xml"), "--format"),
                // docs/api.md's report commands, with nothing serving at the URL: one line saying so
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
     * docs/sources.md's tokens-file recipe and its {@code produce otlp} command as shipped (on loopback, free ports, a
     * broker that is not there: nothing here reaches Kafka): it says it is authenticated, answers an exporter
     * without the token 401 over OTLP/HTTP and UNAUTHENTICATED over OTLP/gRPC, takes metrics with the token, and
     * counts it all on /metrics.
     */
    @Test
    void theDocumentedOtlpReceiverTakesOnlyItsTokensOverHttpAndGrpc() throws Exception {
        List<String> doc = Files.readAllLines(SOURCES_DOC);
        Path tokens = Files.createTempFile("otlp-tokens", ".txt");
        String recipe = doc.stream().filter(l -> l.startsWith("echo \"sha256:$(printf %s \"$TOKEN\"")).findFirst()
                .orElseThrow().replace("/etc/compliance/otlp-tokens", tokens.toString());
        Process hash = new ProcessBuilder("bash", "-c", "TOKEN=cc-shipped-token; " + recipe).inheritIO().start();
        assertThat(hash.waitFor()).isZero();
        assertThat(Files.readString(tokens)).startsWith("sha256:").doesNotContain("cc-shipped-token");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        List<String> args = List.of(doc.stream().filter(l -> l.startsWith("./compliance produce otlp ")
                && l.contains("--tokens-file")).findFirst().orElseThrow().split(" "));
        for (int i = 1; i < args.size(); i++) {
            String previous = args.get(i - 1);
            command.add(switch (previous) {
                case "--tokens-file" -> tokens.toString();
                case "--host" -> "127.0.0.1";
                case "--bootstrap-servers" -> "127.0.0.1:1";
                default -> args.get(i);
            });
        }
        command.addAll(List.of("--port", "0", "--grpc-port", "0"));
        Process receiver = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
            String listening = firstLineStartingWith(out, "OTLP receiver listening on");
            assertThat(listening).startsWith("OTLP receiver listening on http://127.0.0.1:");
            assertThat(out.readLine()).startsWith("authenticated: 1 token(s) in " + tokens);
            var ports = Pattern.compile(":(\\d+)/v1/logs and grpc://127\\.0\\.0\\.1:(\\d+)").matcher(listening);
            assertThat(ports.find()).as(listening).isTrue();
            String http = "http://127.0.0.1:" + ports.group(1);
            var client = HttpClient.newHttpClient();
            var logs = client.send(HttpRequest.newBuilder(URI.create(http + "/v1/logs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(logs.statusCode()).isEqualTo(401);
            var metrics = client.send(HttpRequest.newBuilder(URI.create(http + "/v1/metrics"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer cc-shipped-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            var channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(ports.group(2))).usePlaintext().build();
            try {
                var stub = LogsServiceGrpc.newBlockingStub(channel);
                assertThatThrownBy(() -> stub.export(ExportLogsServiceRequest.getDefaultInstance()))
                        .hasMessageStartingWith("UNAUTHENTICATED");
            } finally {
                channel.shutdownNow();
            }
            String counters = client.send(HttpRequest.newBuilder(URI.create(http + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(counters).contains("compliance_otlp_requests_refused_total{cause=\"missing-token\"} 2\n",
                    "compliance_otlp_requests_total{protocol=\"http\",signal=\"metrics\"} 1\n");
        } finally {
            receiver.destroy(); // SIGTERM: the shutdown hook stops the receiver
            if (!receiver.waitFor(1, TimeUnit.MINUTES)) {
                receiver.destroyForcibly();
            }
            Files.deleteIfExists(tokens);
        }
    }

    /**
     * The README's first command, exactly as shown (the comment after it dropped): the embedded pipeline prints its
     * console address and, after the 20 000 events, the summary the README shows, with as many OCSF findings as
     * violations and no dead letter.
     */
    @Test
    void theReadmesFirstCommandRunsThePipelineEndToEnd() throws Exception {
        String line = Files.readAllLines(REPO.resolve("README.md")).stream()
                .filter(l -> l.startsWith("./compliance demo ")).findFirst().orElseThrow();
        String[] shown = line.replaceFirst("\\s+#.*$", "").split("\\s+");
        Run demo = run(java.util.Arrays.copyOfRange(shown, 1, shown.length));
        assertThat(demo.exit()).as(demo.err()).isZero();
        assertThat(demo.out()).containsPattern("(?m)^  console    http://127\\.0\\.0\\.1:\\d+/ ");
        assertThat(demo.out()).containsPattern("(?m)^Summary after \\d+s: 20000 events in, (\\d+) violations, \\1 OCSF findings,"
                + " \\d+ retention schedules, 0 dead letters$");
    }

    /**
     * The README's policy workflow is docs/policy.md's, line for line: those lines are the ones this class, PolicyWorkflowIT
     * and DemoPolicyIT run (validate as shown; diff, apply and show against a real broker).
     */
    @Test
    void theReadmesPolicyWorkflowIsTheDocumentedOne() throws IOException {
        List<String> readme = Files.readAllLines(REPO.resolve("README.md")).stream()
                .filter(l -> l.startsWith("./compliance policy ")).toList();
        assertThat(readme).hasSize(4);
        assertThat(Files.readAllLines(POLICY_DOC)).containsAll(readme);
    }

    /**
     * The {@code produce compliance-api} command of docs/sources.md as shipped, on a free metrics port and with a broker that
     * is not there: its {@code /metrics} answers on loopback while the feed store still waits for Kafka, with every
     * counter family at 0 (the counts themselves are checked in ComplianceApiSourceTest).
     */
    @Test
    void theDocumentedComplianceApiPollerServesItsCountersOnMetrics() throws Exception {
        List<String> args = List.of(Files.readAllLines(REPO.resolve("docs/sources.md")).stream()
                .filter(l -> l.startsWith("./compliance produce compliance-api ") && l.contains("--metrics-port"))
                .findFirst().orElseThrow().split(" "));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        for (int i = 1; i < args.size(); i++) {
            command.add("--metrics-port".equals(args.get(i - 1)) ? "0" : args.get(i));
        }
        command.addAll(List.of("--bootstrap-servers", "127.0.0.1:1"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("ANTHROPIC_COMPLIANCE_API_KEY", "sk-ant-api01-shipped-test");
        Process poller = builder.start();
        try {
            var out = new BufferedReader(new InputStreamReader(poller.getInputStream(), StandardCharsets.UTF_8));
            String listening = firstLineStartingWith(out, "compliance-api: counters on ");
            assertThat(listening).matches("compliance-api: counters on http://127\\.0\\.0\\.1:\\d+/metrics");
            String url = listening.substring("compliance-api: counters on ".length());
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("# TYPE compliance_feed_skipped_total counter\n",
                    "compliance_feed_pages_total{source=\"compliance-api\"} 0\n",
                    "compliance_feed_malformed_total{source=\"compliance-api\"} 0\n");
        } finally {
            poller.destroy();
            if (!poller.waitFor(1, TimeUnit.MINUTES)) {
                poller.destroyForcibly();
            }
        }
    }

    /** The first line of a shipped command's output that starts with {@code prefix} (Kafka client log lines come first), or null. */
    static String firstLineStartingWith(BufferedReader out, String prefix) throws IOException {
        String line = out.readLine();
        while (line != null && !line.startsWith(prefix)) {
            line = out.readLine();
        }
        return line;
    }

    /**
     * The lines of {@code docFile}'s output block that shows what {@code command} prints: the block after the
     * code block holding the command as a line of its own, or the block right after the prose line naming it.
     */
    static List<String> blockAfter(Path docFile, String command) throws IOException {
        List<String> lines = Files.readAllLines(docFile);
        int i = lines.indexOf(command);
        if (i >= 0) {
            while (!lines.get(i).equals("```")) {
                i++; // to the closing fence of the command's block
            }
        } else {
            i = 0;
            while (i < lines.size() && !(lines.get(i).contains("`" + command + "`") && lines.get(i).endsWith(":"))) {
                i++;
            }
            assertThat(i).as("%s shows %s", docFile, command).isLessThan(lines.size());
        }
        do {
            i++;
        } while (lines.get(i).isBlank());
        assertThat(lines.get(i)).as("an output block follows %s", command).isEqualTo("```");
        List<String> block = new ArrayList<>();
        for (i = i + 1; !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i));
        }
        return block;
    }
}
