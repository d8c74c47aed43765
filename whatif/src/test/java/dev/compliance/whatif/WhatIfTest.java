package dev.compliance.whatif;

import dev.compliance.streams.catalog.PolicyCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** compliance evaluate on POLICY.md v2's org fields: read when present, defaults when absent, ranges refused by line. */
class WhatIfTest {

    private static final String EVENT = "{\"eventId\":\"x1\",\"eventTime\":\"2026-05-01T12:00:00Z\",\"orgId\":\"acme\",\"userId\":\"a\","
            + "\"plan\":\"TEAM\",\"feature\":\"COWORK\",\"dataClass\":\"PUBLIC\",\"dataTags\":[\"PII\"]}";

    @TempDir
    Path dir;

    private WhatIf.Result evaluate(String orgs, boolean explain) throws Exception {
        Path o = Files.writeString(dir.resolve("orgs.jsonl"), orgs);
        Path e = Files.writeString(dir.resolve("events.jsonl"), EVENT + "\n");
        return WhatIf.run(o, e, PolicyCatalog.load(), explain, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void shouldReadTheClassificationProfileOfAnOrgRecord() throws Exception {
        var r = evaluate("{\"orgId\":\"acme\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"classificationProfile\":\"STRICT\"}\n", false);
        assertThat(r.verdicts()).singleElement().asString().contains("\"violations\":[\"RESTRICTED_DATA\",\"SENSITIVE_WITHOUT_ZDR\"]");
    }

    @Test
    void shouldJudgeAnOrgRecordWithoutTheV2FieldsByTheirDefaults() throws Exception {
        var r = evaluate("{\"orgId\":\"acme\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}\n", false);
        assertThat(r.verdicts()).singleElement().asString().contains("\"violations\":[\"SENSITIVE_WITHOUT_ZDR\"]");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void shouldReportAnOrgRecordOutOfRangeByItsLineAndJudgeByThePreviousOne() throws Exception {
        var r = evaluate("{\"orgId\":\"acme\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"classificationProfile\":\"STRICT\"}\n"
                + "{\"orgId\":\"acme\",\"effectiveFrom\":\"2026-03-01T00:00:00Z\",\"localTranscriptDays\":4000}\n", false);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("orgs.jsonl");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.reason()).contains("localTranscriptDays 4000 is outside 1..3650");
        });
        assertThat(r.verdicts()).singleElement().asString().contains("RESTRICTED_DATA");
    }

    @Test
    void shouldStateTheTrustAndSafetyHoldOnEveryExplainedVerdict() throws Exception {
        var r = evaluate("{\"orgId\":\"acme\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}\n", true);
        assertThat(r.verdicts()).singleElement().asString()
                .contains("\"alsoKept\":[\"trust and safety scores (metadata, not content) may be kept 7 years (seed 003)");
    }
}
