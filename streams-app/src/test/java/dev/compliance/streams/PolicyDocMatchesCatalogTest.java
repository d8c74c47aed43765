package dev.compliance.streams;

import dev.compliance.streams.catalog.CatalogFacts;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.streams.rules.Rules;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The violation-code table and retention-row table of docs/policy.md cannot drift from the code: they must be
 * exactly what the rule classes and the bundled catalog say. On a failure the message holds the table to
 * paste into docs/policy.md.
 */
class PolicyDocMatchesCatalogTest {

    private static final Path POLICY_DOC = Path.of("..", "docs", "policy.md");

    @Test
    void theCodeTableIsTheRules() throws Exception {
        List<String> expected = new ArrayList<>(List.of("| code | severity | seeds |", "|---|---|---|"));
        Rules.ALL.forEach(r -> expected.add("| `" + r.code() + "` | " + r.severity() + " | " + String.join(", ", r.citations()) + " |"));
        assertThat(tableStartingWith("| code | severity | seeds |"))
                .as("docs/policy.md's code table; expected:%n%s", String.join("\n", expected)).isEqualTo(expected);
    }

    @Test
    void theRetentionRowsAreTheCatalogs() throws Exception {
        List<String> expected = new ArrayList<>(List.of("| row | path | retention | seeds |", "|---|---|---|---|"));
        PolicyCatalog.load().retentionTable().forEach(r -> expected.add(line(r)));
        assertThat(tableStartingWith("| row | path | retention | seeds |"))
                .as("docs/policy.md's retention table; expected:%n%s", String.join("\n", expected)).isEqualTo(expected);
    }

    private static String line(CatalogFacts.RetentionRow r) {
        String retention = "`" + r.kind() + "`" + switch (r.days()) {
            case "-" -> "";
            case "org" -> " the org's `customRetentionDays`";
            default -> switch (r.kind()) {
                case UNTIL_DELETED -> ", then " + r.days() + " days";
                default -> " " + r.days() + " days";
            };
        };
        return "| " + r.row() + " | " + r.description() + " | " + retention + " | " + String.join(", ", r.citations()) + " |";
    }

    private static List<String> tableStartingWith(String header) throws Exception {
        List<String> doc = Files.readAllLines(POLICY_DOC);
        int start = doc.indexOf(header);
        assertThat(start).as("docs/policy.md has a table headed %s", header).isNotNegative();
        List<String> table = new ArrayList<>();
        for (int i = start; i < doc.size() && doc.get(i).startsWith("|"); i++) {
            table.add(doc.get(i));
        }
        return table;
    }
}
