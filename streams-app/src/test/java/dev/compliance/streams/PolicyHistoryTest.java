package dev.compliance.streams;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/** One org's policy versions: the one in force at a time, replacements, retirement, the horizon and the bytes. */
class PolicyHistoryTest {

    private static final Duration TEN_YEARS = Topics.POLICY_HISTORY;
    private static final long JAN = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long MAR = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final long MAY = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();

    private static OrgPolicy policy(long from, boolean zdr) {
        return org("acme").setEffectiveFrom(Instant.ofEpochMilli(from)).setZdrEnabled(zdr).build();
    }

    @Test
    void shouldAnswerTheVersionInForceAtEachTimeWhateverTheOrderTheyCameIn() {
        PolicyHistory h = PolicyHistory.empty().with(MAR, policy(MAR, true), TEN_YEARS).with(JAN, policy(JAN, false), TEN_YEARS);
        assertThat(h.at(JAN - 1)).isNull();
        assertThat(h.at(JAN).getZdrEnabled()).isFalse();
        assertThat(h.at(MAR - 1).getEffectiveFrom().toEpochMilli()).isEqualTo(JAN);
        assertThat(h.at(MAR).getZdrEnabled()).isTrue();
        assertThat(h.at(MAY).getZdrEnabled()).isTrue();
    }

    @Test
    void shouldReplaceAVersionWithTheSameTimeAndRetireTheOrgWithATombstone() {
        PolicyHistory h = PolicyHistory.empty().with(JAN, policy(JAN, false), TEN_YEARS)
                .with(JAN, policy(JAN, true), TEN_YEARS)
                .with(MAY, null, TEN_YEARS);
        assertThat(h.versions()).hasSize(2);
        assertThat(h.at(MAR).getZdrEnabled()).isTrue();
        assertThat(h.at(MAY)).isNull();
    }

    @Test
    void shouldForgetVersionsThatEndedBeforeTheHorizon() {
        PolicyHistory h = PolicyHistory.empty().with(JAN, policy(JAN, false), Duration.ofDays(30))
                .with(MAR, policy(MAR, true), Duration.ofDays(30))
                .with(MAY, policy(MAY, false), Duration.ofDays(30));
        assertThat(h.versions()).extracting(PolicyHistory.Version::from).containsExactly(MAR, MAY);
    }

    @Test
    void shouldRoundTripThroughItsSerdeWithARetiredVersion() {
        Serde<OrgPolicy> policies = Topics.ORG_POLICIES.valueSerde(Map.of("schema.registry.url", "mock://" + UUID.randomUUID()));
        Serde<PolicyHistory> serde = PolicyHistory.serde(policies);
        PolicyHistory h = PolicyHistory.empty().with(JAN, policy(JAN, false), TEN_YEARS).with(MAR, null, TEN_YEARS)
                .with(MAY, policy(MAY, true), TEN_YEARS);
        PolicyHistory back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", h));
        assertThat(back.versions()).isEqualTo(h.versions());
    }
}
