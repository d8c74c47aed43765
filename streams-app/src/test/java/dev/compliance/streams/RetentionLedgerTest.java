package dev.compliance.streams;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.RetentionKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.compliance.streams.PipelineFixture.T0;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

class RetentionLedgerTest {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void shouldStartTheThirtyDayClockWhenUntilDeletedContentIsDeleted() {
        pipeline.given(org("acme"));
        Instant deletedAt = T0.plus(Duration.ofDays(3));
        var delete = pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.INTERNAL)
                .setAction(Action.DELETE).setResourceId("chat-42").setEventTime(deletedAt));

        RetentionEvent r = pipeline.scheduledFor(delete);
        assertThat(r.getTrigger()).isEqualTo(Action.DELETE);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
        assertThat(r.getResourceId()).isEqualTo("chat-42");
        assertThat(r.getExpiresAt()).isEqualTo(deletedAt.plus(Duration.ofDays(30)));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(deletedAt.plus(Duration.ofDays(730)));
    }

    @Test
    void shouldScheduleNothingForTheDeleteOfContentWithAFixedRetention() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC).setAction(Action.DELETE));
        assertThat(pipeline.retention.isEmpty()).isTrue();
    }

    @Test
    void shouldEmitExpiredForABucketOnceItsDayHasPassed() {
        pipeline.given(org("acme"));
        for (int i = 0; i < 3; i++) {
            pipeline.send(pipeline.event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC)); // 29 days
        }
        pipeline.retention.readValuesToList();

        pipeline.driver.advanceWallClockTime(Duration.ofDays(29)); // expiry day not over yet
        assertThat(pipeline.retention.isEmpty()).isTrue();

        pipeline.driver.advanceWallClockTime(Duration.ofDays(1));
        var expired = pipeline.retention.readValuesToList();
        assertThat(expired).hasSize(1);
        RetentionEvent bucket = expired.get(0);
        assertThat(bucket.getType()).isEqualTo(RetentionEventType.EXPIRED);
        assertThat(bucket.getItemCount()).isEqualTo(3);
        assertThat(bucket.getFeature()).isEqualTo(Feature.BATCH_API);
        assertThat(bucket.getExpiresAt()).isEqualTo(Instant.parse("2026-05-30T00:00:00Z"));

        pipeline.driver.advanceWallClockTime(Duration.ofDays(1));
        assertThat(pipeline.retention.isEmpty()).as("a bucket expires once").isTrue();
    }

    @Test
    void shouldExpireTheBucketOfAnOrgWhoseIdHoldsABar() {
        pipeline.given(org("acme|eu"));
        pipeline.send(pipeline.event("acme|eu", Plan.API, Feature.BATCH_API, DataClass.PUBLIC)); // 29 days
        assertThat(pipeline.retention.readValuesToList()).hasSize(1);

        pipeline.driver.advanceWallClockTime(Duration.ofDays(30));
        RetentionEvent bucket = pipeline.retention.readValue();
        assertThat(bucket.getType()).isEqualTo(RetentionEventType.EXPIRED);
        assertThat(bucket.getOrgId()).isEqualTo("acme|eu");
        assertThat(bucket.getPlan()).isEqualTo(Plan.API);
    }

    @Test
    void shouldExpireLateEventsWhoseDayIsAlreadyOverAtTheNextCheck() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)
                .setEventTime(T0.minus(Duration.ofDays(60))));
        pipeline.retention.readValuesToList();
        pipeline.driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(pipeline.retention.readValuesToList()).extracting(RetentionEvent::getType)
                .containsExactly(RetentionEventType.EXPIRED);
    }
}
