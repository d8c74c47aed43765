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
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.COWORK, DataClass.SENSITIVE));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.COWORK, DataClass.PUBLIC, DataTag.PII)); // effective SENSITIVE

        var latest = pipeline.rollups.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys("acme|2026-05-01|TEAM|COWORK|SENSITIVE");
        UsageRollup r = latest.get("acme|2026-05-01|TEAM|COWORK|SENSITIVE");
        assertThat(r.getDay()).isEqualTo(LocalDate.parse("2026-05-01"));
        assertThat(r.getEventCount()).isEqualTo(2);
        assertThat(r.getViolationCount()).isEqualTo(2);
        assertThat(r.getViolationsByCode()).containsEntry("SENSITIVE_WITHOUT_ZDR", 2L);
        assertThat(r.toString()).doesNotContain("alice");
    }

    @Test
    void shouldCountEventsWhateverTheirProducerTimestamp() {
        pipeline.given(org("acme"));
        var e = pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC).build();
        // produced months after it happened: the record's timestamp is the producer's clock, not eventTime
        pipeline.events.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("acme", e,
                java.time.Instant.parse("2026-11-23T00:00:00Z")));
        assertThat(pipeline.rollups.readValuesToList()).extracting(UsageRollup::getEventCount).containsExactly(1L);
    }

    @Test
    void shouldNotReopenADayClosedBeyondTheGracePeriod() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)
                .setEventTime(java.time.Instant.parse("2026-06-01T00:00:00Z")));
        pipeline.driver.advanceWallClockTime(java.time.Duration.ofMinutes(1)); // closes days before 2026-05-25
        pipeline.rollups.readValuesToList();

        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)); // 2026-05-01: too late
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)
                .setEventTime(java.time.Instant.parse("2026-05-30T00:00:00Z"))); // within the grace period
        assertThat(pipeline.rollups.readValuesToList()).extracting(r -> r.getDay().toString()).containsExactly("2026-05-30");
    }
}
