package dev.compliance.streams;

import dev.compliance.avro.ApiUsage;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.streams.rollup.DailyRollup;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

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

    /**
     * A usage-report bucket as the producer sends it, then its correction: the same eventId with the bucket's new
     * totals (UsageReportSource re-reads its window; the ApiUsage doc says the later event supersedes).
     */
    private UsageEvent.Builder usageReportBucket(String eventId, long outputTokens, DataClass dataClass) {
        return pipeline.event("acme", Plan.API, Feature.MESSAGES_API, dataClass)
                .setEventId(eventId).setSource(EventSource.ADMIN_USAGE_REPORT).setUserId("apikey_01Rj2N8SVvo6BePZj99NhmiT")
                .setApiUsage(ApiUsage.newBuilder().setUncachedInputTokens(1200).setOutputTokens(outputTokens)
                        .setModel("claude-sonnet-4-5").setServiceTier("standard").setApiKeyId("apikey_01Rj2N8SVvo6BePZj99NhmiT")
                        .build());
    }

    @Test
    void aUsageReportCorrectionReplacesItsEarlierEventInsteadOfBeingCountedAgain() {
        pipeline.given(org("acme"));
        pipeline.send(usageReportBucket("usage-3f2a9c", 8800, DataClass.SENSITIVE));
        UsageRollup once = pipeline.rollups.readValuesToList().get(0);
        assertThat(once.getEventCount()).isEqualTo(1);
        assertThat(once.getViolationCount()).isPositive();

        pipeline.send(usageReportBucket("usage-3f2a9c", 9650, DataClass.SENSITIVE)); // the correction
        pipeline.send(usageReportBucket("usage-3f2a9c", 9700, DataClass.SENSITIVE)); // and a second one

        List<UsageRollup> after = pipeline.rollups.readValuesToList();
        assertThat(after).hasSize(2).allSatisfy(r -> {
            assertThat(r.getEventCount()).isEqualTo(1);
            assertThat(r.getRequestCount()).isEqualTo(once.getRequestCount());
            assertThat(r.getViolationCount()).isEqualTo(once.getViolationCount());
            assertThat(r.getViolationsByCode()).isEqualTo(once.getViolationsByCode());
        });

        pipeline.send(usageReportBucket("usage-77b0e1", 500, DataClass.SENSITIVE)); // another bucket adds
        assertThat(pipeline.rollups.readValuesToList()).extracting(UsageRollup::getEventCount).containsExactly(2L);
    }

    @Test
    void aCorrectionWhoseRollupChangedTakesItsEarlierEventOutOfTheOldRollup() {
        pipeline.given(org("acme"));
        pipeline.send(usageReportBucket("usage-3f2a9c", 8800, DataClass.SENSITIVE));
        pipeline.send(usageReportBucket("usage-3f2a9c", 9650, DataClass.PUBLIC));

        var latest = pipeline.rollups.readKeyValuesToMap();
        UsageRollup old = latest.get("acme|2026-05-01|API|MESSAGES_API|SENSITIVE");
        assertThat(old.getEventCount()).isZero();
        assertThat(old.getRequestCount()).isZero();
        assertThat(old.getViolationCount()).isZero();
        assertThat(old.getViolationsByCode()).isEmpty();
        assertThat(latest.get("acme|2026-05-01|API|MESSAGES_API|PUBLIC").getEventCount()).isEqualTo(1);
    }

    @Test
    void theSameEventIdFromAnotherSourceIsCountedAsBeforeAndNotRemembered() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC).setEventId("same"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC).setEventId("same"));
        assertThat(pipeline.rollups.readValuesToList()).extracting(UsageRollup::getEventCount).containsExactly(1L, 2L);
        assertThat(remembered()).isZero();
    }

    @Test
    void anEventIdIsRememberedAsLongAsItsDayIsOpen() {
        pipeline.given(org("acme"));
        pipeline.send(usageReportBucket("usage-3f2a9c", 8800, DataClass.PUBLIC)); // 2026-05-01
        assertThat(remembered()).isEqualTo(1);
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)
                .setEventTime(Instant.parse("2026-05-08T12:00:00Z"))); // 7 days later: 2026-05-01 still open
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(remembered()).isEqualTo(1);
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)
                .setEventTime(Instant.parse("2026-05-09T12:00:00Z"))); // the grace period is over for 2026-05-01
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(remembered()).isZero();
    }

    private long remembered() {
        KeyValueStore<String, UsageRollup> store = pipeline.driver.getKeyValueStore(DailyRollup.CORRECTIONS_STORE);
        try (var all = store.all()) {
            long n = 0;
            for (; all.hasNext(); all.next()) {
                n++;
            }
            return n;
        }
    }
}
