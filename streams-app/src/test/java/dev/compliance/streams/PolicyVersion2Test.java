package dev.compliance.streams;

import dev.compliance.avro.Action;
import dev.compliance.avro.ClassificationProfile;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.ViolationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.compliance.avro.ViolationCode.*;
import static dev.compliance.streams.PipelineFixture.T0;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One behaviour per test for every row of POLICY.md's "Changes in version 2" table, in its order, both
 * directions where a rule narrowed (the org-record ranges are {@link OrgPolicyRecordTest}).
 */
class PolicyVersion2Test {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    private UsageEvent send(Plan plan, Feature feature, DataClass dataClass, DataTag... tags) {
        return pipeline.send(pipeline.event("acme", plan, feature, dataClass, tags));
    }

    private List<ViolationCode> judge(Plan plan, Feature feature, DataClass dataClass, DataTag... tags) {
        return pipeline.codesOf(send(plan, feature, dataClass, tags));
    }

    private RetentionEvent retentionOf(Plan plan, Feature feature) {
        return pipeline.scheduledFor(send(plan, feature, DataClass.PUBLIC));
    }

    private static Instant days(long n) {
        return T0.plus(Duration.ofDays(n));
    }

    // ---------------------------------------------------------------- Enterprise BAA: CHAT only (004)

    @Test
    void enterpriseBaaCoversChat() {
        pipeline.given(org("acme").setBaaSigned(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CHAT, DataClass.SENSITIVE, DataTag.PHI)).doesNotContain(PHI_WITHOUT_BAA);
    }

    @Test
    void enterpriseBaaNoLongerCoversProjects() {
        pipeline.given(org("acme").setBaaSigned(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.PROJECTS, DataClass.SENSITIVE, DataTag.PHI)).contains(PHI_WITHOUT_BAA);
    }

    @Test
    void enterpriseBaaNoLongerCoversClaudeCode() {
        pipeline.given(org("acme").setBaaSigned(true).setZdrEnabled(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CLAUDE_CODE, DataClass.SENSITIVE, DataTag.PHI)).containsExactly(PHI_WITHOUT_BAA);
    }

    // ---------------------------------------------------------------- classificationProfile (001 contradicts itself)

    @Test
    void standardProfileRaisesPiiToSensitive() {
        pipeline.given(org("acme").setClassificationProfile(ClassificationProfile.STANDARD));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.PUBLIC, DataTag.PII)).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void standardProfileRaisesLegalPrivilegeToSensitive() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.INTERNAL, DataTag.LEGAL_PRIVILEGED)).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void strictProfileRaisesPiiToRestricted() {
        pipeline.given(org("acme").setClassificationProfile(ClassificationProfile.STRICT));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.PUBLIC, DataTag.PII)).containsExactly(RESTRICTED_DATA, SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void strictProfileRaisesLegalPrivilegeToRestrictedEvenOnAZeroRetentionPath() {
        pipeline.given(org("acme").setClassificationProfile(ClassificationProfile.STRICT).setZdrEnabled(true));
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.INTERNAL, DataTag.LEGAL_PRIVILEGED)).containsExactly(RESTRICTED_DATA);
    }

    @Test
    void strictProfileKeepsFinancialDataSensitive() {
        pipeline.given(org("acme").setClassificationProfile(ClassificationProfile.STRICT));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.PUBLIC, DataTag.FINANCIAL)).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void strictProfileNeverLowersTheDeclaredClass() {
        pipeline.given(org("acme").setClassificationProfile(ClassificationProfile.STRICT).setZdrEnabled(true));
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.RESTRICTED, DataTag.FINANCIAL)).containsExactly(RESTRICTED_DATA);
    }

    @Test
    void anOrgWithNoRecordIsJudgedUnderTheStandardProfile() {
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.PUBLIC, DataTag.PII)).containsExactly(SENSITIVE_WITHOUT_ZDR, UNKNOWN_ORG);
    }

    // ---------------------------------------------------------------- TRAINING_EXPOSURE (002, 003)

    @Test
    void trainingExposureOnTeamInTheDevelopmentPartnerProgram() {
        pipeline.given(org("acme").setDevelopmentPartnerProgram(true));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.INTERNAL)).containsExactly(TRAINING_EXPOSURE);
    }

    @Test
    void trainingExposureOnEnterpriseInTheDevelopmentPartnerProgram() {
        pipeline.given(org("acme").setDevelopmentPartnerProgram(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CLAUDE_CODE, DataClass.INTERNAL)).containsExactly(TRAINING_EXPOSURE);
    }

    @Test
    void noTrainingExposureOnTeamOutsideTheDevelopmentPartnerProgram() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.INTERNAL)).isEmpty();
    }

    @Test
    void noTrainingExposureOnAThirdPartyPlatformInTheDevelopmentPartnerProgram() {
        pipeline.given(org("acme").setDevelopmentPartnerProgram(true));
        assertThat(judge(Plan.VERTEX, Feature.MESSAGES_API, DataClass.INTERNAL)).isEmpty();
    }

    @Test
    void trainingExposureOnFeedbackOnAnyPlanWithoutTheProgram() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.ENTERPRISE, Feature.FEEDBACK, DataClass.INTERNAL)).containsExactly(TRAINING_EXPOSURE, FEEDBACK_SHARES_DATA);
    }

    @Test
    void trainingExposureOnIncognitoConsumerFeedback() {
        pipeline.given(org("acme"));
        var e = pipeline.send(pipeline.event("acme", Plan.MAX, Feature.FEEDBACK, DataClass.INTERNAL).setIncognito(true));
        assertThat(pipeline.codesOf(e)).containsExactly(CONSUMER_PLAN_WORK_DATA, TRAINING_EXPOSURE, FEEDBACK_SHARES_DATA);
    }

    @Test
    void noTrainingExposureOnAZeroRetentionPathInTheProgram() {
        pipeline.given(org("acme").setDevelopmentPartnerProgram(true).setZdrEnabled(true));
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.INTERNAL)).isEmpty();
    }

    // ---------------------------------------------------------------- ZDR_BLOCKED_FEATURE: Enterprise only (000)

    @Test
    void zdrBlockedFeatureOnEnterpriseRemoteSessions() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CLAUDE_CODE_REMOTE, DataClass.PUBLIC)).containsExactly(ZDR_BLOCKED_FEATURE);
    }

    @Test
    void noZdrBlockedFeatureForFeedbackOnTheApi() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.API, Feature.FEEDBACK, DataClass.PUBLIC)).isEmpty();
    }

    @Test
    void noZdrBlockedFeatureForClaudeCodeOnTheWebOnTeam() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.TEAM, Feature.CLAUDE_CODE_WEB, DataClass.PUBLIC)).isEmpty();
    }

    // ---------------------------------------------------------------- INDEFINITE_RETENTION from the UNTIL_DELETED verdict

    @Test
    void indefiniteRetentionForSensitiveTeamChat() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE)).containsExactly(SENSITIVE_WITHOUT_ZDR, INDEFINITE_RETENTION);
    }

    @Test
    void indefiniteRetentionForSensitiveEnterpriseChatWithoutCustomRetention() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CHAT, DataClass.SENSITIVE)).containsExactly(OUTSIDE_ZDR_SCOPE, INDEFINITE_RETENTION);
    }

    @Test
    void noIndefiniteRetentionForEnterpriseProjectsBoundedByCustomRetention() {
        pipeline.given(org("acme").setCustomRetentionDays(90));
        assertThat(judge(Plan.ENTERPRISE, Feature.PROJECTS, DataClass.SENSITIVE)).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void noIndefiniteRetentionForInternalContentKeptUntilDeleted() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.CHAT, DataClass.INTERNAL)).isEmpty();
    }

    // ---------------------------------------------------------------- custom Enterprise retention: CHAT and PROJECTS (004)

    @Test
    void enterpriseProjectsFollowTheOrgsCustomRetention() {
        pipeline.given(org("acme").setCustomRetentionDays(90));
        RetentionEvent r = retentionOf(Plan.ENTERPRISE, Feature.PROJECTS);
        assertThat(r.getRetentionRow()).isEqualTo(3);
        assertThat(r.getKind()).isEqualTo(RetentionKind.FIXED);
        assertThat(r.getExpiresAt()).isEqualTo(days(90));
    }

    @Test
    void teamProjectsIgnoreCustomRetention() {
        pipeline.given(org("acme").setCustomRetentionDays(90));
        RetentionEvent r = retentionOf(Plan.TEAM, Feature.PROJECTS);
        assertThat(r.getRetentionRow()).isEqualTo(4);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
    }

    // ---------------------------------------------------------------- Bedrock: zero only for the inference features it offers (004)

    @Test
    void bedrockBatchInferenceIsZeroRetention() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.BEDROCK, Feature.BATCH_API);
        assertThat(r.getRetentionRow()).isEqualTo(1);
        assertThat(r.getKind()).isEqualTo(RetentionKind.ZERO);
    }

    @Test
    void bedrockProjectsAreNotZeroRetention() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.BEDROCK, Feature.PROJECTS, DataClass.SENSITIVE)).containsExactly(SENSITIVE_WITHOUT_ZDR, INDEFINITE_RETENTION);
    }

    @Test
    void bedrockFilesApiIsKeptUntilDeleted() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.BEDROCK, Feature.FILES_API).getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
    }

    // ---------------------------------------------------------------- Foundry: zero with foundryAbuseMonitoringOptOut (004)

    @Test
    void foundryIsZeroRetentionWhenTheOrgOptedOutOfAbuseMonitoring() {
        pipeline.given(org("acme").setFoundryAbuseMonitoringOptOut(true));
        UsageEvent e = send(Plan.FOUNDRY, Feature.MESSAGES_API, DataClass.SENSITIVE);
        assertThat(pipeline.codesOf(e)).isEmpty();
        assertThat(pipeline.scheduledFor(e).getKind()).isEqualTo(RetentionKind.ZERO);
    }

    @Test
    void foundryKeeps30DaysWithoutTheOptOut() {
        pipeline.given(org("acme"));
        UsageEvent e = send(Plan.FOUNDRY, Feature.MESSAGES_API, DataClass.SENSITIVE);
        assertThat(pipeline.codesOf(e)).containsExactly(SENSITIVE_WITHOUT_ZDR);
        assertThat(pipeline.scheduledFor(e).getDays()).isEqualTo(30);
    }

    @Test
    void theFoundryOptOutDoesNotCoverOtherFeatures() {
        pipeline.given(org("acme").setFoundryAbuseMonitoringOptOut(true));
        assertThat(retentionOf(Plan.FOUNDRY, Feature.COWORK).getKind()).isEqualTo(RetentionKind.FIXED);
    }

    @Test
    void theFoundryOptOutIsNotAZdrAgreementOnTheApi() {
        pipeline.given(org("acme").setFoundryAbuseMonitoringOptOut(true));
        assertThat(retentionOf(Plan.API, Feature.MESSAGES_API).getKind()).isEqualTo(RetentionKind.FIXED);
    }

    // ---------------------------------------------------------------- worst case: 1825 d when it may train; no 730 d on Bedrock

    @Test
    void contentThatMayTrainIsHeldFiveYearsAtWorst() {
        pipeline.given(org("acme").setDevelopmentPartnerProgram(true));
        RetentionEvent r = retentionOf(Plan.API, Feature.MESSAGES_API);
        assertThat(r.getExpiresAt()).isEqualTo(days(30));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(1825));
    }

    @Test
    void consumerContentKeptUntilDeletedThatMayTrainGetsAWorstCaseDate() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.PRO, Feature.PROJECTS);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
        assertThat(r.getExpiresAt()).isNull();
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(1825));
    }

    @Test
    void contentThatDoesNotTrainKeptUntilDeletedHasNoWorstCaseDate() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.TEAM, Feature.PROJECTS).getWorstCaseExpiresAt()).isNull();
    }

    @Test
    void bedrockHasNoUsagePolicyHold() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.BEDROCK, Feature.MESSAGES_API);
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(T0);
    }

    @Test
    void bedrockOutsideItsInferenceFeaturesHasNoUsagePolicyHoldEither() {
        pipeline.given(org("acme"));
        RetentionEvent r = retentionOf(Plan.BEDROCK, Feature.COWORK);
        assertThat(r.getExpiresAt()).isEqualTo(days(30));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(30));
    }

    @Test
    void feedbackOnBedrockIsStillHeldTenYearsAtWorst() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.BEDROCK, Feature.FEEDBACK).getWorstCaseExpiresAt()).isEqualTo(days(3650));
    }

    @Test
    void otherPlatformsKeepTheTwoYearHold() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.FOUNDRY, Feature.MESSAGES_API).getWorstCaseExpiresAt()).isEqualTo(days(730));
    }

    // ---------------------------------------------------------------- consumer opt-in before 2025-10-08 (004)

    @Test
    void anExplicitConsumerOptInBeforeTheDefaultChangeTrains() {
        pipeline.given(org("acme").setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z")));
        Instant before = Instant.parse("2025-10-07T23:00:00Z");
        UsageEvent e = pipeline.send(pipeline.event("acme", Plan.MAX, Feature.CHAT, DataClass.INTERNAL)
                .setEventTime(before).setTrainingOptIn(true));
        assertThat(pipeline.codesOf(e)).containsExactly(CONSUMER_PLAN_WORK_DATA, TRAINING_EXPOSURE);
        RetentionEvent r = pipeline.scheduledFor(e);
        assertThat(r.getRetentionRow()).isEqualTo(5);
        assertThat(r.getExpiresAt()).isEqualTo(before.plus(Duration.ofDays(1825)));
    }

    @Test
    void noConsumerTrainingBeforeTheDefaultChangeWithoutAnOptIn() {
        pipeline.given(org("acme").setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z")));
        UsageEvent e = pipeline.send(pipeline.event("acme", Plan.MAX, Feature.CHAT, DataClass.PUBLIC)
                .setEventTime(Instant.parse("2025-10-07T23:00:00Z")));
        assertThat(pipeline.scheduledFor(e).getRetentionRow()).isEqualTo(6);
    }

    // ---------------------------------------------------------------- DELETE: only UNTIL_DELETED content starts a clock

    @Test
    void aDeleteOfContentNotKeptUntilDeletedStartsNoClock() {
        pipeline.given(org("acme"));
        UsageEvent e = pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC)
                .setAction(Action.DELETE).setResourceId("msg-1"));
        assertThat(pipeline.retention.readValuesToList()).noneMatch(r -> e.getEventId().equals(r.getEventId()));
    }

    @Test
    void aDeleteOfTeamChatStartsItsThirtyDayClock() {
        pipeline.given(org("acme"));
        UsageEvent e = pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC)
                .setAction(Action.DELETE).setResourceId("chat-1"));
        RetentionEvent r = pipeline.scheduledFor(e);
        assertThat(r.getKind()).isEqualTo(RetentionKind.UNTIL_DELETED);
        assertThat(r.getExpiresAt()).isEqualTo(days(30));
        assertThat(r.getWorstCaseExpiresAt()).isEqualTo(days(730));
    }

    // ---------------------------------------------------------------- the local transcript default is catalog data (002)

    @Test
    void anUnknownOrgsClaudeCodeTranscriptUsesTheCatalogDefault() {
        RetentionEvent r = retentionOf(Plan.API, Feature.CLAUDE_CODE);
        assertThat(r.getLocalTranscriptExpiresAt()).isEqualTo(days(30));
    }

    @Test
    void noLocalTranscriptOutsideClaudeCode() {
        pipeline.given(org("acme"));
        assertThat(retentionOf(Plan.API, Feature.MESSAGES_API).getLocalTranscriptExpiresAt()).isNull();
    }
}
