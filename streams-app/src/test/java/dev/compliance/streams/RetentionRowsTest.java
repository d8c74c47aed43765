package dev.compliance.streams;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.compliance.streams.PipelineFixture.T0;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per row of POLICY.md's retention table, plus the worst case and the local transcript. */
class RetentionRowsTest {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    private RetentionEvent retentionOf(Plan plan, Feature feature) {
        return pipeline.scheduledFor(pipeline.send(pipeline.event("acme", plan, feature, DataClass.PUBLIC)));
    }

    private static Instant days(long n) {
        return T0.plus(Duration.ofDays(n));
    }

    @Test
    void row1ZeroRetentionPathExpiresAtTheEventTime() {
        pipeline.given(org("acme").setZdrEnabled(true));
        RetentionEvent r = retentionOf(Plan.API, Feature.MESSAGES_API);
        assertThat(r.getRetentionRow()).isEqualTo(1);
        assertThat(r.getKind()).isEqualTo(RetentionKind.ZERO);
        assertThat(r.getDays()).isZero();
        assertThat(r.getExpiresAt()).isEqualTo(T0);
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(730));
    }

    @Test
    void row1BedrockIsZeroRetentionWithoutAnAgreement() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.BEDROCK, Feature.MESSAGES_API).getKind()).isEqualTo(RetentionKind.ZERO);
    }

    @Test
    void row2FeedbackIsKeptFiveYearsAndTenAtWorst() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.ENTERPRISE, Feature.FEEDBACK);
        assertThat(r.getRetentionRow()).isEqualTo(2);
        assertThat(r.getKind()).isEqualTo(RetentionKind.FIXED);
        assertThat(r.getDays()).isEqualTo(1825);
        assertThat(r.getExpiresAt()).isEqualTo(days(1825));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(3650));
    }

    @Test
    void row4ProjectsAreKeptUntilDeleted() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.TEAM, Feature.PROJECTS);
        assertThat(r.getRetentionRow()).isEqualTo(4);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
        assertThat(r.getDays()).isEqualTo(30);
        assertThat(r.getExpiresAt()).isNull();
        assertThat(r.getWorstCaseExpiresAt()).isNull();
    }

    @Test
    void row4FilesApiIsKeptUntilDeletedEvenUnderZdr() {
        pipeline.given(org("acme").setZdrEnabled(true));
        RetentionEvent r = retentionOf(Plan.API, Feature.FILES_API);
        assertThat(r.getRetentionRow()).isEqualTo(4);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
    }

    @Test
    void row5ConsumerContentThatTrainsIsKeptFiveYears() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.FREE, Feature.CHAT);
        assertThat(r.getRetentionRow()).isEqualTo(5);
        assertThat(r.getDays()).isEqualTo(1825);
        assertThat(r.getExpiresAt()).isEqualTo(days(1825));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(1825));
    }

    @Test
    void row6ConsumerContentThatDoesNotTrainIsKept30Days() {
        pipeline.given(org("acme"));
        var e = pipeline.send(pipeline.event("acme", Plan.PRO, Feature.CHAT, DataClass.PUBLIC).setTrainingOptIn(false));
        RetentionEvent r = pipeline.scheduledFor(e);
        assertThat(r.getRetentionRow()).isEqualTo(6);
        assertThat(r.getDays()).isEqualTo(30);
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(730));
    }

    @Test
    void row7BatchApiIsKept29Days() {
        pipeline.given(org("acme").setZdrEnabled(true));
        RetentionEvent r = retentionOf(Plan.API, Feature.BATCH_API);
        assertThat(r.getRetentionRow()).isEqualTo(7);
        assertThat(r.getDays()).isEqualTo(29);
        assertThat(r.getExpiresAt()).isEqualTo(days(29));
    }

    @Test
    void row3EnterpriseChatFollowsTheOrgsCustomRetention() {
        pipeline.given(org("acme").setCustomRetentionDays(90));
        RetentionEvent r = retentionOf(Plan.ENTERPRISE, Feature.CHAT);
        assertThat(r.getRetentionRow()).isEqualTo(3);
        assertThat(r.getKind()).isEqualTo(RetentionKind.FIXED);
        assertThat(r.getDays()).isEqualTo(90);
        assertThat(r.getExpiresAt()).isEqualTo(days(90));
    }

    @Test
    void row8TeamChatIsKeptUntilDeleted() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.TEAM, Feature.CHAT);
        assertThat(r.getRetentionRow()).isEqualTo(8);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
    }

    @Test
    void row8EnterpriseChatWithoutCustomRetentionIsKeptUntilDeleted() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.ENTERPRISE, Feature.CHAT).getRetentionRow()).isEqualTo(8);
    }

    @Test
    void row9VertexIsPlatformDefinedWithNoDate() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.VERTEX, Feature.MESSAGES_API);
        assertThat(r.getRetentionRow()).isEqualTo(9);
        assertThat(r.getKind()).isEqualTo(RetentionKind.PLATFORM_DEFINED);
        assertThat(r.getDays()).isNull();
        assertThat(r.getExpiresAt()).isNull();
        assertThat(r.getWorstCaseExpiresAt()).isNull();
    }

    @Test
    void row10TheApiWithoutZdrKeeps30Days() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.API, Feature.MESSAGES_API);
        assertThat(r.getRetentionRow()).isEqualTo(10);
        assertThat(r.getDays()).isEqualTo(30);
        assertThat(r.getExpiresAt()).isEqualTo(days(30));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(730));
    }

    @Test
    void row10FoundryKeeps30DaysForAbuseMonitoring() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.FOUNDRY, Feature.MESSAGES_API).getRetentionRow()).isEqualTo(10);
    }

    @Test
    void shouldReportTheLocalTranscriptExpiryOfClaudeCode() {
        pipeline.given(org("acme").setZdrEnabled(true).setLocalTranscriptDays(7));
        RetentionEvent r = retentionOf(Plan.ENTERPRISE, Feature.CLAUDE_CODE);
        assertThat(r.getKind()).isEqualTo(RetentionKind.ZERO);
        assertThat(r.getLocalTranscriptExpiresAt()).isEqualTo(days(7));
    }

    @Test
    void shouldPseudonymizeTheUserOnTheRetentionLedger() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.API, Feature.MESSAGES_API);
        assertThat(r.getUserPseudonym()).startsWith("u_").doesNotContain("alice");
        assertThat(r.toString()).doesNotContain("alice@acme.example");
    }
}
