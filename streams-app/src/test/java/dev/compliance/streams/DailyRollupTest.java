package dev.compliance.streams;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageRollup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

class DailyRollupTest {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void shouldCountEventsAndViolationsPerOrgDayPlanFeatureAndClass() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC, DataTag.PII)); // effective SENSITIVE

        var latest = pipeline.rollups.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys("acme|2026-05-01|TEAM|CHAT|SENSITIVE");
        UsageRollup r = latest.get("acme|2026-05-01|TEAM|CHAT|SENSITIVE");
        assertThat(r.getDay()).isEqualTo(LocalDate.parse("2026-05-01"));
        assertThat(r.getEventCount()).isEqualTo(2);
        assertThat(r.getViolationCount()).isEqualTo(2);
        assertThat(r.getViolationsByCode()).containsEntry("SENSITIVE_WITHOUT_ZDR", 2L);
        assertThat(r.toString()).doesNotContain("alice");
    }
}
