package dev.compliance.proofs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The table of what the proofs tried and what they found (printed, and written to target/proofs/report.md). */
final class Report {

    private static final String HEADER = """
            | scenario | faults injected | in (good + bad) | outputs expected | outputs found | missing | duplicates | unexpected / different | dead letters expected / found | in = processed + dead letters | rollup keys (final value ok) | verdict |
            |---|---|---|---|---|---|---|---|---|---|---|---|
            """;

    private final String title;
    private final List<Verdict> rows = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    synchronized void add(Verdict v) {
        rows.add(v);
        System.out.println(render(List.of(v)));
    }

    synchronized String table() {
        return render(rows);
    }

    private String render(List<Verdict> verdicts) {
        StringBuilder out = new StringBuilder("\n").append(title).append("\n\n").append(HEADER);
        for (Verdict v : verdicts) {
            out.append("| ").append(v.scenario)
                    .append(" | ").append(v.faults)
                    .append(" | ").append(v.goodIn + v.badIn).append(" (").append(v.goodIn).append(" + ").append(v.badIn).append(")")
                    .append(" | ").append(v.outputs.expected())
                    .append(" | ").append(v.outputs.found())
                    .append(" | ").append(v.outputs.missing())
                    .append(" | ").append(v.outputs.duplicates())
                    .append(" | ").append(v.outputs.unexpected()).append(" / ").append(v.outputs.mismatched())
                    .append(" | ").append(v.deadLetters.expected()).append(" / ").append(v.deadLetters.found())
                    .append(" | ").append(v.goodIn + v.badIn).append(" = ").append(v.processed).append(" + ").append(v.deadLetters.found())
                    .append(" | ").append(v.rollupKeys).append(" (").append(v.rollupKeys - v.rollupFinalMismatches).append(")")
                    .append(" | ").append(v.pass() ? "PASS" : "FAIL").append(" |\n");
        }
        for (Verdict v : verdicts) {
            v.notes.forEach(n -> out.append("- ").append(v.scenario).append(": ").append(n).append('\n'));
            if (v.openTransactions > 0) {
                out.append("- ").append(v.scenario).append(": ").append(v.openTransactions).append(" output partition(s) with a transaction left open\n");
            }
            v.problems.forEach(p -> out.append("- ").append(v.scenario).append(" PROBLEM: ").append(p).append('\n'));
        }
        return out.toString();
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, table());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
