package dev.compliance.streams;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.compliance.avro.ViolationCode.OUTSIDE_ZDR_SCOPE;
import static dev.compliance.avro.ViolationCode.SENSITIVE_WITHOUT_ZDR;
import static dev.compliance.avro.ViolationCode.UNKNOWN_ORG;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/** Each event meets the org policy in force at its event time, not the latest one. */
class VersionedPolicyJoinTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    private dev.compliance.avro.UsageEvent sensitiveEnterpriseCoworkAt(Instant t) {
        return pipeline.send(pipeline.event("acme", Plan.ENTERPRISE, Feature.COWORK, DataClass.SENSITIVE).setEventTime(t));
    }

    @Test
    void shouldJudgeEachEventByThePolicyInForceWhenItHappened() {
        pipeline.given(org("acme").setEffectiveFrom(JAN).setZdrEnabled(false));
        var before = sensitiveEnterpriseCoworkAt(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(pipeline.codesOf(before)).containsExactly(SENSITIVE_WITHOUT_ZDR);

        pipeline.given(org("acme").setEffectiveFrom(MAR).setZdrEnabled(true)); // the policy changes mid-stream
        var after = sensitiveEnterpriseCoworkAt(Instant.parse("2026-03-15T00:00:00Z"));
        assertThat(pipeline.codesOf(after)).containsExactly(OUTSIDE_ZDR_SCOPE);
    }

    @Test
    void shouldJudgeALateEventByTheOldPolicy() {
        pipeline.given(org("acme").setEffectiveFrom(JAN).setZdrEnabled(false));
        pipeline.given(org("acme").setEffectiveFrom(MAR).setZdrEnabled(true));
        sensitiveEnterpriseCoworkAt(Instant.parse("2026-04-01T00:00:00Z"));
        pipeline.violations.readValuesToList();

        var late = sensitiveEnterpriseCoworkAt(Instant.parse("2026-02-10T00:00:00Z")); // arrives after April's event
        var violations = pipeline.violations.readValuesToList();
        assertThat(violations).extracting(v -> v.getCode()).containsExactly(SENSITIVE_WITHOUT_ZDR);
        assertThat(violations.get(0).getEventId()).isEqualTo(late.getEventId());
        assertThat(violations.get(0).getOrgPolicyVersion()).isEqualTo(JAN);
    }

    @Test
    void shouldRaiseUnknownOrgForAnEventBeforeTheOrgsFirstPolicy() {
        pipeline.given(org("acme").setEffectiveFrom(MAR).setZdrEnabled(true));
        var early = sensitiveEnterpriseCoworkAt(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(pipeline.codesOf(early)).containsExactly(SENSITIVE_WITHOUT_ZDR, UNKNOWN_ORG);
    }
}
