package dev.compliance.streams.catalog;

import dev.compliance.avro.Coverage;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionRule;
import dev.compliance.streams.rules.Rules;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyCatalogTest {

    private static String bundledText() throws Exception {
        try (var in = PolicyCatalog.class.getClassLoader().getResourceAsStream(PolicyCatalog.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int lineOf(String text, String fragment) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError(fragment);
    }

    @Test
    void shouldExpandToOneRowPerPlanAndFeature() {
        PolicyCatalog catalog = PolicyCatalog.load();
        assertThat(catalog.entries()).hasSize(Plan.values().length * Feature.values().length);
        assertThat(catalog.entries()).allSatisfy(row -> {
            assertThat(row.getZdrCitations()).isNotEmpty();
            assertThat(row.getBaaCitations()).isNotEmpty();
            assertThat(row.getRetention()).isNotEmpty().allSatisfy(r -> assertThat(r.getCitations()).isNotEmpty());
        });
    }

    @Test
    void shouldEncodeEveryRetentionRowOfThePolicy() {
        var rows = PolicyCatalog.load().entries().stream().flatMap(e -> e.getRetention().stream())
                .map(RetentionRule::getRow).collect(Collectors.toSet());
        assertThat(rows).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void shouldCiteOnlyKnownSeedsInEveryRule() {
        var seeds = PolicyCatalog.load().seeds().keySet();
        assertThat(Rules.ALL).hasSize(12).allSatisfy(rule -> assertThat(seeds).containsAll(rule.citations()));
    }

    @Test
    void shouldReadTheCoverageOfThePolicy() {
        PolicyCatalog c = PolicyCatalog.load();
        assertThat(c.entry(Plan.ENTERPRISE, Feature.CLAUDE_CODE).getZdrCoverage()).isEqualTo(Coverage.WITH_ORG_AGREEMENT);
        assertThat(c.entry(Plan.ENTERPRISE, Feature.CHAT).getZdrCoverage()).isEqualTo(Coverage.NEVER);
        assertThat(c.entry(Plan.BEDROCK, Feature.MESSAGES_API).getZdrCoverage()).isEqualTo(Coverage.ALWAYS);
        assertThat(c.entry(Plan.BEDROCK, Feature.CHAT).getZdrCoverage()).isEqualTo(Coverage.NEVER);
        assertThat(c.entry(Plan.FOUNDRY, Feature.CLAUDE_CODE).getZdrAgreement()).isEqualTo("foundryAbuseMonitoringOptOut");
        assertThat(c.entry(Plan.ENTERPRISE, Feature.CHAT).getBaaCoverage()).isEqualTo(Coverage.WITH_ORG_AGREEMENT);
        assertThat(c.entry(Plan.ENTERPRISE, Feature.PROJECTS).getBaaCoverage()).isEqualTo(Coverage.NEVER);
        assertThat(c.entry(Plan.ENTERPRISE, Feature.COWORK).getBaaCoverage()).isEqualTo(Coverage.NEVER);
        assertThat(c.entry(Plan.FOUNDRY, Feature.CHAT).getBaaCoverage()).isEqualTo(Coverage.ALWAYS);
        assertThat(c.entry(Plan.TEAM, Feature.MESSAGES_API).getBaaCoverage()).isEqualTo(Coverage.NEVER);
    }

    @Test
    void shouldRefuseAnUnknownPlanNamingFileAndLine() throws Exception {
        String text = bundledText().replace("BEDROCK VERTEX     | *  ", "BEDROCKK VERTEX    | *  ");
        int line = lineOf(text, "BEDROCKK");
        assertThatThrownBy(() -> PolicyCatalog.parse("my-catalog.txt", text))
                .isInstanceOf(CatalogFormatException.class)
                .hasMessageStartingWith("my-catalog.txt:" + line + ": unknown plan 'BEDROCKK'");
    }

    @Test
    void shouldRefuseALineWithoutCitation() throws Exception {
        String text = bundledText().replace("| 29   | 004         |", "| 29   |             |");
        int line = lineOf(text, "| 29   |");
        assertThatThrownBy(() -> PolicyCatalog.parse("my-catalog.txt", text))
                .hasMessageStartingWith("my-catalog.txt:" + line + ": missing citation");
    }

    @Test
    void shouldRefuseACatalogThatLeavesAPathUndecided() throws Exception {
        String text = bundledText().replace("10    | TEAM ENTERPRISE API BEDROCK FOUNDRY |", "10    | TEAM ENTERPRISE API BEDROCK         |");
        assertThatThrownBy(() -> PolicyCatalog.parse("my-catalog.txt", text))
                .hasMessageContaining("FOUNDRY/").hasMessageContaining("without a decision");
    }

    @Test
    void shouldCiteSeed002AsAThirdPartySummary() {
        assertThat(PolicyCatalog.load().seeds().get("002")).contains("third party");
    }

    @Test
    void shouldRecordEveryConflictOfThePolicyWithBothValuesAndTheOneUsed() {
        var conflicts = PolicyCatalog.load().conflicts();
        assertThat(conflicts).extracting(CatalogConflict::id).containsExactly("feedback-retention", "zdr-scope",
                "enterprise-zdr", "consumer-training", "pii-privilege", "bedrock-never-zdr");
        assertThat(conflicts).allSatisfy(c -> {
            assertThat(c.oneValue()).isNotBlank();
            assertThat(c.otherValue()).isNotBlank();
            assertThat(c.used()).isNotBlank();
            assertThat(c.citations()).isNotEmpty();
        });
    }

    @Test
    void shouldPutTheConflictNoteOnTheZdrCoverageItResolves() {
        PolicyCatalog c = PolicyCatalog.load();
        assertThat(c.entry(Plan.ENTERPRISE, Feature.CLAUDE_CODE).getZdrConflictNote()).startsWith("ZDR scope:");
        assertThat(c.entry(Plan.BEDROCK, Feature.MESSAGES_API).getZdrConflictNote()).startsWith("Bedrock and the never-ZDR list:");
        assertThat(c.entry(Plan.TEAM, Feature.CHAT).getClassFloors()).anySatisfy(f ->
                assertThat(f.getConflictNote()).startsWith("PII and legal privilege:"));
    }

    @Test
    void shouldRefuseAnUnknownConflictId() throws Exception {
        String text = bundledText().replace("| 002         | FEEDBACK, any plan                                           | feedback-retention",
                "| 002         | FEEDBACK, any plan                                           | feedback-retentio");
        assertThatThrownBy(() -> PolicyCatalog.parse("my-catalog.txt", text))
                .hasMessageStartingWith("my-catalog.txt:" + lineOf(text, "FEEDBACK, any plan") + ": unknown conflict 'feedback-retentio'");
    }

    @Test
    void shouldRefuseAZdrAgreementThatIsNotABooleanOrgField() throws Exception {
        String text = bundledText().replace("| foundryAbuseMonitoringOptOut |", "| localTranscriptDays          |");
        assertThatThrownBy(() -> PolicyCatalog.parse("my-catalog.txt", text))
                .hasMessageContaining("agreement 'localTranscriptDays' is not a boolean field of OrgPolicy");
    }
}
