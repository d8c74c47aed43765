package dev.compliance.cli.policy;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Given what the topic holds, when a file is compared with it, then exactly the difference is published. */
class PolicyDiffTest {

    private static final PolicyFile EXAMPLE = PolicyFile.read(Path.of("../examples/policies.yaml"));

    @Test
    void anEmptyTopicGetsEveryEntryAndARetirementIsATombstoneAtItsTime() {
        PolicyDiff diff = PolicyDiff.between(EXAMPLE, PolicyHistory.fromTopic(List.of()));
        assertThat(diff.changes()).hasSize(8).allSatisfy(c -> assertThat(c.kind()).isEqualTo(PolicyDiff.Kind.NEW));
        ProducerRecord<String, OrgPolicy> retirement = diff.records().stream().filter(r -> r.value() == null).findFirst().orElseThrow();
        assertThat(retirement.key()).isEqualTo("initech");
        assertThat(retirement.timestamp()).isEqualTo(Instant.parse("2026-09-01T00:00:00Z").toEpochMilli());
        assertThat(diff.records()).filteredOn(r -> r.value() != null)
                .allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(r.value().getEffectiveFrom().toEpochMilli()));
        assertThat(diff.summary()).isEqualTo("8 new, 0 corrected, 0 unchanged, 0 only on the topic (kept)");
    }

    @Test
    void applyingTheSameFileTwicePublishesNothingTheSecondTime() {
        PolicyHistory topic = topicAfter(PolicyDiff.between(EXAMPLE, PolicyHistory.fromTopic(List.of())).records());
        PolicyDiff again = PolicyDiff.between(EXAMPLE, topic);
        assertThat(again.changes()).isEmpty();
        assertThat(again.records()).isEmpty();
        assertThat(again.summary()).isEqualTo("0 new, 0 corrected, 8 unchanged, 0 only on the topic (kept)");
    }

    @Test
    void aChangedVersionIsACorrectionNamingTheFieldsAndAVersionOnlyOnTheTopicIsKept() {
        List<ProducerRecord<String, OrgPolicy>> published = new ArrayList<>(PolicyDiff.between(EXAMPLE, PolicyHistory.fromTopic(List.of())).records());
        OrgPolicy acmeJune = published.stream().map(ProducerRecord::value)
                .filter(p -> p != null && p.getOrgId().equals("acme") && p.getEffectiveFrom().equals(Instant.parse("2026-06-01T00:00:00Z")))
                .findFirst().orElseThrow();
        OrgPolicy wrong = OrgPolicy.newBuilder(acmeJune).setCustomRetentionDays(60).build();
        OrgPolicy extra = OrgPolicy.newBuilder(acmeJune).setEffectiveFrom(Instant.parse("2026-08-01T00:00:00Z")).build();
        published.add(record(wrong));
        published.add(record(extra));

        PolicyDiff diff = PolicyDiff.between(EXAMPLE, topicAfter(published));

        assertThat(diff.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(PolicyDiff.Kind.CORRECTED);
            assertThat(c.describe()).contains("corrected: customRetentionDays 60 -> 90").contains("(line 16)");
        });
        assertThat(diff.onlyOnTopic()).singleElement().satisfies(e -> assertThat(e.at()).isEqualTo(Instant.parse("2026-08-01T00:00:00Z")));
    }

    @Test
    void theVersionInForceAtATimeIsTheLatestAtOrBeforeItUnlessRetired() {
        PolicyHistory history = PolicyHistory.fromEntries(EXAMPLE.entries());
        assertThat(history.inForce("acme", Instant.parse("2026-05-31T23:59:59Z")).orElseThrow().getCustomRetentionDays()).isNull();
        assertThat(history.inForce("acme", Instant.parse("2026-06-01T00:00:00Z")).orElseThrow().getCustomRetentionDays()).isEqualTo(90);
        assertThat(history.inForce("acme", Instant.parse("2025-12-31T00:00:00Z"))).isEmpty();
        assertThat(history.inForce("initech", Instant.parse("2026-08-31T00:00:00Z"))).isPresent();
        assertThat(history.inForce("initech", Instant.parse("2026-09-01T00:00:00Z"))).isEmpty();
        assertThat(history.inForce("nobody", Instant.now())).isEqualTo(Optional.empty());
    }

    private static ProducerRecord<String, OrgPolicy> record(OrgPolicy p) {
        return new ProducerRecord<>(Topics.ORG_POLICIES.name(), null, p.getEffectiveFrom().toEpochMilli(), p.getOrgId(), p);
    }

    /** The topic as a reader sees it after {@code published}, in order. */
    private static PolicyHistory topicAfter(List<ProducerRecord<String, OrgPolicy>> published) {
        List<ConsumerRecord<String, OrgPolicy>> read = new ArrayList<>();
        long offset = 0;
        for (ProducerRecord<String, OrgPolicy> r : published) {
            read.add(new ConsumerRecord<>(r.topic(), 0, offset++, r.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                    r.key(), r.value(), new RecordHeaders(), Optional.empty()));
        }
        return PolicyHistory.fromTopic(read);
    }
}
