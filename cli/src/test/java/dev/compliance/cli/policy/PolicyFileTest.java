package dev.compliance.cli.policy;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.cli.policy.PolicyFile.InvalidPolicyFileException;
import dev.compliance.cli.policy.PolicyFile.Retirement;
import dev.compliance.cli.policy.PolicyFile.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyFileTest {

    @TempDir
    Path dir;

    @Test
    void theExampleFileIsValidWithVersionsAndARetirement() {
        PolicyFile file = PolicyFile.read(Path.of("../examples/policies.yaml"));
        assertThat(file.entries()).hasSize(8);
        assertThat(file.entries().stream().map(PolicyFile.Entry::orgId).distinct()).hasSize(5);
        assertThat(file.entries()).filteredOn(e -> e instanceof Retirement).singleElement()
                .satisfies(e -> assertThat(e.at()).isEqualTo(Instant.parse("2026-09-01T00:00:00Z")));
    }

    @Test
    void absentFieldsTakeTheSchemaDefaultsAndLinesAreKept() throws IOException {
        PolicyFile file = PolicyFile.read(write("p.yaml", """
                # a comment
                - orgId: acme
                  effectiveFrom: 2026-01-01T00:00:00Z

                - orgId: acme
                  effectiveFrom: 2026-06-01T00:00:00Z
                  allowedPlans: [ENTERPRISE]
                  customRetentionDays: 90
                """));
        Version first = (Version) file.entries().get(0);
        Version second = (Version) file.entries().get(1);
        assertThat(first.line()).isEqualTo(2);
        assertThat(second.line()).isEqualTo(5);
        assertThat(first.policy().getZdrEnabled()).isFalse();
        assertThat(first.policy().getLocalTranscriptDays()).isEqualTo(30);
        assertThat(second.policy().getAllowedPlans()).containsExactly(Plan.ENTERPRISE);
    }

    @Test
    void jsonLinesAreAcceptedToo() throws IOException {
        Path orgs = Path.of("../examples/orgs.jsonl");
        int lines = (int) Files.readAllLines(orgs).stream().filter(l -> !l.isBlank()).count();
        PolicyFile file = PolicyFile.read(orgs);
        assertThat(file.entries()).hasSize(lines).allSatisfy(e -> assertThat(e).isInstanceOf(Version.class));
        assertThat(file.entries().get(lines - 1).line()).isEqualTo(lines);
    }

    @Test
    void everyProblemIsOneLineWithFileAndLine() throws IOException {
        Path path = write("bad.yaml", """
                - orgId: acme
                  effectiveFrom: 2026-01-01T00:00:00Z
                  zdrEnabld: true
                - orgId: globex
                  effectiveFrom: 2026-01-01T00:00:00Z
                - orgId: globex
                  effectiveFrom: 2026-01-01T00:00:00Z
                - orgId: initech
                  effectiveFrom: yesterday
                - orgId: hooli
                  effectiveFrom: 2026-01-01T00:00:00Z
                  allowedPlans: [ENTERPRIZE]
                - orgId: umbrella
                  effectiveFrom: 2026-01-01T00:00:00Z
                  customRetentionDays: 0
                  localTranscriptDays: 4000
                - orgId: umbrella
                  retiredFrom: 2026-05-01T00:00:00Z
                  zdrEnabled: true
                """);
        assertThatThrownBy(() -> PolicyFile.read(path))
                .isInstanceOfSatisfying(InvalidPolicyFileException.class, e -> assertThat(e.problems()).containsExactly(
                        path + ":1: unknown field 'zdrEnabld' (OrgPolicy has " + OrgPolicy.getClassSchema().getFields().stream().map(f -> f.name()).toList() + ")",
                        path + ":6: duplicate entry for org 'globex' at 2026-01-01T00:00:00Z (also line 4): one version or retirement per (orgId, time)",
                        path + ":8: field 'effectiveFrom': 'yesterday' is not an ISO-8601 instant such as 2026-05-01T12:00:00Z",
                        path + ":10: field 'allowedPlans': unknown Plan 'ENTERPRIZE' (expected one of [FREE, PRO, MAX, TEAM, ENTERPRISE, API, BEDROCK, VERTEX, FOUNDRY])",
                        path + ":13: customRetentionDays 0 is outside 1..3650",
                        path + ":13: localTranscriptDays 4000 is outside 1..3650",
                        path + ":17: a retirement has only orgId and retiredFrom, not [zdrEnabled]"));
    }

    @Test
    void aFileThatIsNotAListSaysWhatItShouldBe() throws IOException {
        Path path = write("map.yaml", "orgId: acme\n");
        assertThatThrownBy(() -> PolicyFile.read(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(path + ":1: a YAML policy file is a list of entries (each starting with '- orgId: ...')");
        Path other = write("p.txt", "");
        assertThatThrownBy(() -> PolicyFile.read(other)).hasMessage(other + ": a policy file is YAML (.yaml, .yml) or JSON Lines (.jsonl)");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
