package dev.compliance.streams;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.Severity;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.compliance.avro.ViolationCode.*;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/** One behaviour per test: every violation code of POLICY.md, fired and (where it matters) not fired. */
class ViolationRulesTest {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    private List<ViolationCode> judge(Plan plan, Feature feature, DataClass dataClass, DataTag... tags) {
        return pipeline.codesOf(pipeline.send(pipeline.event("acme", plan, feature, dataClass, tags)));
    }

    @Test
    void shouldRaiseRestrictedDataOnAnyPathEvenZeroRetention() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.RESTRICTED)).containsExactly(RESTRICTED_DATA);
    }

    @Test
    void shouldRaiseCredentialsExposedForTheCredentialsTag() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC, DataTag.CREDENTIALS)).containsExactly(CREDENTIALS_EXPOSED);
    }

    @Test
    void shouldRaiseSensitiveWithoutZdrWhenTheOrgHasNoZdr() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.SENSITIVE)).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void shouldRaiseTheEffectiveClassFromSensitiveTags() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.COWORK, DataClass.PUBLIC, DataTag.TRADE_SECRET)).containsExactly(SENSITIVE_WITHOUT_ZDR);
    }

    @Test
    void shouldRaiseOutsideZdrScopeWhenAZdrOrgUsesAnUncoveredFeature() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.COWORK, DataClass.SENSITIVE)).containsExactly(OUTSIDE_ZDR_SCOPE);
    }

    @Test
    void shouldNotRaiseOnClaudeCodeUnderEnterpriseZdr() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CLAUDE_CODE, DataClass.SENSITIVE, DataTag.PII)).isEmpty();
    }

    @Test
    void shouldNotRaiseSensitiveWithoutZdrOnBedrock() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.BEDROCK, Feature.MESSAGES_API, DataClass.SENSITIVE)).isEmpty();
    }

    @Test
    void shouldRaisePhiWithoutBaaOnTeamEvenWithABaa() {
        pipeline.given(org("acme").setBaaSigned(true).setZdrEnabled(true));
        assertThat(judge(Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE, DataTag.PHI)).contains(PHI_WITHOUT_BAA);
    }

    @Test
    void shouldRaisePhiWithoutBaaOnEnterpriseBetaProductsDespiteTheBaa() {
        pipeline.given(org("acme").setBaaSigned(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.COWORK, DataClass.SENSITIVE, DataTag.PHI)).contains(PHI_WITHOUT_BAA);
    }

    @Test
    void shouldNotRaisePhiWithoutBaaOnFoundryWhereTheBaaIsIncluded() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.FOUNDRY, Feature.MESSAGES_API, DataClass.SENSITIVE, DataTag.PHI)).doesNotContain(PHI_WITHOUT_BAA);
    }

    @Test
    void shouldRaiseConsumerPlanWorkDataForInternalDataOnPro() {
        pipeline.given(org("acme"));
        var e = pipeline.send(pipeline.event("acme", Plan.PRO, Feature.CHAT, DataClass.INTERNAL).setTrainingOptIn(false));
        assertThat(pipeline.codesOf(e)).containsExactly(CONSUMER_PLAN_WORK_DATA);
    }

    @Test
    void shouldRaiseTrainingExposureOnAConsumerPlanByDefaultSinceOctober2025() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.FREE, Feature.CHAT, DataClass.INTERNAL)).containsExactly(CONSUMER_PLAN_WORK_DATA, TRAINING_EXPOSURE);
    }

    @Test
    void shouldNotRaiseTrainingExposureBeforeTheConsumerDefaultChanged() {
        pipeline.given(org("acme").setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z")));
        var e = pipeline.send(pipeline.event("acme", Plan.MAX, Feature.CHAT, DataClass.INTERNAL)
                .setEventTime(Instant.parse("2025-10-07T23:00:00Z")));
        assertThat(pipeline.codesOf(e)).containsExactly(CONSUMER_PLAN_WORK_DATA);
    }

    @Test
    void shouldNotRaiseTrainingExposureForAnIncognitoChat() {
        pipeline.given(org("acme"));
        var e = pipeline.send(pipeline.event("acme", Plan.PRO, Feature.CHAT, DataClass.INTERNAL).setIncognito(true));
        assertThat(pipeline.codesOf(e)).containsExactly(CONSUMER_PLAN_WORK_DATA);
    }

    @Test
    void shouldRaiseTrainingExposureOnTheApiInTheDevelopmentPartnerProgram() {
        pipeline.given(org("acme").setDevelopmentPartnerProgram(true));
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.INTERNAL)).containsExactly(TRAINING_EXPOSURE);
    }

    @Test
    void shouldRaiseZdrBlockedFeatureWhenAZdrOrgUsesClaudeCodeOnTheWeb() {
        pipeline.given(org("acme").setZdrEnabled(true));
        assertThat(judge(Plan.ENTERPRISE, Feature.CLAUDE_CODE_WEB, DataClass.PUBLIC)).containsExactly(ZDR_BLOCKED_FEATURE);
    }

    @Test
    void shouldRaiseIndefiniteRetentionForSensitiveProjects() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.ENTERPRISE, Feature.PROJECTS, DataClass.SENSITIVE))
                .containsExactly(SENSITIVE_WITHOUT_ZDR, INDEFINITE_RETENTION);
    }

    @Test
    void shouldRaiseFeedbackSharesDataForInternalFeedback() {
        pipeline.given(org("acme"));
        assertThat(judge(Plan.TEAM, Feature.FEEDBACK, DataClass.INTERNAL)).contains(FEEDBACK_SHARES_DATA);
    }

    @Test
    void shouldRaisePlanNotAllowedOutsideTheApprovedPlans() {
        pipeline.given(org("acme").setAllowedPlans(List.of(Plan.ENTERPRISE, Plan.API)));
        assertThat(judge(Plan.TEAM, Feature.CHAT, DataClass.PUBLIC)).containsExactly(PLAN_NOT_ALLOWED);
    }

    @Test
    void shouldRaiseUnknownOrgAndJudgeAsAnOrgWithNoAgreements() {
        assertThat(judge(Plan.API, Feature.MESSAGES_API, DataClass.SENSITIVE)).containsExactly(SENSITIVE_WITHOUT_ZDR, UNKNOWN_ORG);
    }

    @Test
    void shouldExplainTheVerdictWithPolicyVersionCatalogRowAndCitation() {
        pipeline.given(org("acme").setZdrEnabled(true));
        pipeline.send(pipeline.event("acme", Plan.ENTERPRISE, Feature.COWORK, DataClass.SENSITIVE));
        Violation v = pipeline.violations.readValue();
        assertThat(v.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(v.getOrgPolicyVersion()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(v.getCatalogRow()).isEqualTo("ENTERPRISE/COWORK");
        assertThat(v.getCatalogVersion()).hasSize(12);
        assertThat(v.getCitations()).containsExactly("000", "004");
        assertThat(v.getMessage()).contains("ENTERPRISE COWORK").contains("seed 000, 004");
        assertThat(pipeline.violations.isEmpty()).isTrue();
    }

    @Test
    void shouldJudgeADeleteOnlyForUnknownOrg() {
        pipeline.given(org("acme"));
        var e = pipeline.send(pipeline.event("acme", Plan.FREE, Feature.CHAT, DataClass.RESTRICTED)
                .setAction(dev.compliance.avro.Action.DELETE).setResourceId("chat-1"));
        assertThat(pipeline.codesOf(e)).isEmpty();
    }
}
