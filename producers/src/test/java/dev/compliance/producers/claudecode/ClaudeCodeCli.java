package dev.compliance.producers.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Claude Code CLI, installed from npm at the pinned version by {@code ops/install-claude-code.sh} (cached in
 * ~/.cache/compliance, so only the first run downloads), and run non-interactively as {@code claude -p} the way
 * ENVIRONMENT.md describes: HOME in an empty directory, the Messages API at a local stub, an API key, telemetry on.
 *
 * <p>When the install fails because npm or its registry cannot be reached, the test is skipped with a message
 * saying so; any other install failure fails the test.
 */
public final class ClaudeCodeCli {

    private final Path claude;
    private final Path workDir;

    private ClaudeCodeCli(Path claude, Path workDir) {
        this.claude = claude;
        this.workDir = workDir.toAbsolutePath();
    }

    /** Installs (or finds the cached install) and returns the CLI; skips the calling test when npm is unreachable. */
    public static ClaudeCodeCli install(Path workDir) throws Exception {
        Path script = repositoryRoot().resolve("ops/install-claude-code.sh");
        Files.createDirectories(workDir);
        Path log = workDir.resolve("install-claude-code.log");
        Process install = new ProcessBuilder("bash", script.toString())
                .redirectError(log.toFile()).start();
        String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean done = install.waitFor(15, TimeUnit.MINUTES);
        if (done && install.exitValue() == 0) {
            Path claude = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
            assertThat(claude).as("the claude command printed by %s", script).isExecutable();
            return new ClaudeCodeCli(claude, workDir);
        }
        install.destroyForcibly();
        String why = npmUnreachable();
        if (why != null) {
            String message = "SKIPPED: the real Claude Code CLI cannot be installed because " + why
                    + "; this test needs Node.js with npm and the npm registry (see ops/install-claude-code.sh)";
            System.out.println("[ClaudeCodeCli] " + message); // Failsafe counts a class skipped in @BeforeAll as 0 tests
            Assumptions.abort(message);
        }
        throw new AssertionError("ops/install-claude-code.sh failed although npm answers; its log: " + log + "\n"
                + Files.readString(log));
    }

    /**
     * Runs {@code claude -p PROMPT} with the given extra environment (telemetry settings), the MCP stdio server of
     * src/test/resources/claude-code/mcp-server.js as server {@code probe} and its one tool allowed; returns the
     * CLI's output. Fails when it does not exit 0 within 3 minutes.
     */
    public String run(String name, String prompt, Map<String, String> environment) throws Exception {
        Path home = Files.createDirectories(workDir.resolve(name + "-home"));
        Path mcpConfig = workDir.resolve(name + "-mcp.json");
        Files.writeString(mcpConfig, "{\"mcpServers\":{\"probe\":{\"type\":\"stdio\",\"command\":\"node\",\"args\":[\""
                + mcpServer().toString().replace("\\", "\\\\") + "\"]}}}");
        List<String> command = new ArrayList<>(List.of(claude.toString(), "-p", prompt, "--mcp-config",
                mcpConfig.toString(), "--allowedTools", "mcp__probe__lookup_account"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".out").toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("claude -p (" + name + ") did not finish within 3 minutes; output: "
                    + Files.readString(workDir.resolve(name + ".out")));
        }
        String output = Files.readString(workDir.resolve(name + ".out"));
        assertThat(process.exitValue()).as("claude -p (%s) exit code; output: %s", name, output).isZero();
        return output;
    }

    private static Path mcpServer() throws Exception {
        return Path.of(ClaudeCodeCli.class.getResource("/claude-code/mcp-server.js").toURI());
    }

    /** Why npm cannot reach its registry, or null when it can. */
    private static String npmUnreachable() throws InterruptedException {
        try {
            Process ping = new ProcessBuilder("npm", "ping", "--fetch-retries=0").redirectErrorStream(true).start();
            String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!ping.waitFor(2, TimeUnit.MINUTES)) {
                ping.destroyForcibly();
                return "'npm ping' got no answer within 2 minutes";
            }
            String cause = out.lines().filter(l -> l.startsWith("npm error code") || l.contains("FetchError"))
                    .map(l -> l.replaceFirst("^npm error\\s*", "")).collect(Collectors.joining("; "));
            return ping.exitValue() == 0 ? null
                    : "'npm ping' failed: " + (cause.isEmpty() ? out.lines().findFirst().orElse("") : cause);
        } catch (IOException e) {
            return "npm is not installed (" + e.getMessage() + ")";
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ops/install-claude-code.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/install-claude-code.sh above " + Path.of("").toAbsolutePath());
    }
}
