package dev.compliance.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.avro.Violation;
import dev.compliance.streams.DeadLetters;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Avro events produced through the real registry, the topology on a real broker with exactly_once_v2,
 * and every downstream topic read back with read_committed.
 */
class PipelineEndToEndIT extends PipelineIT {

    private static final Instant T = Instant.parse("2026-05-01T12:00:00Z");
    @BeforeAll
    static void givenTwoOrgs() {
        pipeline.publishPolicies(List.of(
                policy("acme").setZdrEnabled(true).setBaaSigned(true).build(),
                policy("globex").build(),
                // out of POLICY.md's range: refused to the dead-letter topic, globex's January record stays in force
                policy("globex").setEffectiveFrom(Instant.parse("2026-04-01T00:00:00Z")).setZdrEnabled(true)
                        .setCustomRetentionDays(99999).build()));
    }

    private static OrgPolicy.Builder policy(String org) {
        return OrgPolicy.newBuilder().setOrgId(org).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .setAllowedPlans(List.of()).setCustomRetentionDays(null);
    }

    private static UsageEvent event(String id, String org, Plan plan, Feature feature, DataClass dc, DataTag... tags) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(T).setOrgId(org).setUserId("user-" + id)
                .setPlan(plan).setFeature(feature).setDataClass(dc).setDataTags(List.of(tags))
                .setSource(EventSource.MANUAL).build();
    }

    @Test
    void shouldCarryEveryEventToEveryDownstreamTopic() throws Exception {
        List<UsageEvent> events = List.of(
                event("it-1", "acme", Plan.ENTERPRISE, Feature.CHAT, DataClass.SENSITIVE),             // OUTSIDE_ZDR_SCOPE, kept until deleted
                event("it-2", "acme", Plan.ENTERPRISE, Feature.CLAUDE_CODE, DataClass.SENSITIVE),      // none: ZDR path
                event("it-3", "globex", Plan.FREE, Feature.CHAT, DataClass.INTERNAL, DataTag.CREDENTIALS),
                event("it-4", "globex", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC, DataTag.PHI),
                event("it-5", "nobody", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC));            // UNKNOWN_ORG
        UsageEvent delete = UsageEvent.newBuilder(event("it-6", "globex", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC))
                .setAction(Action.DELETE).setResourceId("chat-1").build();
        Map<String, Set<String>> expected = Map.of(
                "it-1", Set.of("OUTSIDE_ZDR_SCOPE", "INDEFINITE_RETENTION"),
                "it-3", Set.of("CREDENTIALS_EXPOSED", "CONSUMER_PLAN_WORK_DATA", "TRAINING_EXPOSURE"),
                "it-4", Set.of("SENSITIVE_WITHOUT_ZDR", "PHI_WITHOUT_BAA", "INDEFINITE_RETENTION"),
                "it-5", Set.of("UNKNOWN_ORG"));
        int expectedViolations = expected.values().stream().mapToInt(Set::size).sum();

        try (var producer = pipeline.producer(Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(pipeline.config).serializer())) {
            for (UsageEvent e : events) {
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), e.getOrgId(), e));
            }
            producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), delete.getOrgId(), delete));
            producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), "globex",
                    event("it-bad-key", "acme", Plan.PRO, Feature.CHAT, DataClass.PUBLIC)));
        }
        try (var raw = pipeline.producer(Serdes.String().serializer(), Serdes.ByteArray().serializer())) {
            raw.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), "acme", "not avro".getBytes(StandardCharsets.UTF_8)));
        }

        List<ConsumerRecord<String, Violation>> violations = pipeline.readUntil(Topics.VIOLATIONS.name(),
                Serdes.String().deserializer(), Topics.VIOLATIONS.valueSerde(pipeline.config).deserializer(),
                read -> read.size() >= expectedViolations);
        Map<String, Set<String>> found = new HashMap<>();
        violations.forEach(r -> found.computeIfAbsent(r.value().getEventId(), k -> new java.util.HashSet<>()).add(r.value().getCode().name()));
        assertThat(found).isEqualTo(expected);
        assertThat(violations).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getOrgId()));

        var findings = pipeline.readUntil(Topics.FINDINGS_OCSF.name(), Serdes.String().deserializer(), Serdes.String().deserializer(),
                read -> read.size() >= expectedViolations);
        ObjectMapper json = new ObjectMapper();
        Set<String> findingIds = findings.stream().map(r -> {
            try {
                var f = json.readTree(r.value());
                assertThat(f.path("class_uid").asInt()).isEqualTo(2003);
                return f.path("finding_info").path("uid").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).collect(Collectors.toSet());
        assertThat(findingIds).isEqualTo(violations.stream().map(r -> r.value().getViolationId()).collect(Collectors.toSet()));

        var retention = pipeline.readUntil(Topics.RETENTION.name(), Serdes.String().deserializer(),
                Topics.RETENTION.valueSerde(pipeline.config).deserializer(), read -> read.size() >= events.size() + 1);
        assertThat(retention).extracting(r -> r.value().getEventId())
                .containsExactlyInAnyOrder("it-1", "it-2", "it-3", "it-4", "it-5", "it-6");
        RetentionEvent deleted = retention.stream().map(ConsumerRecord::value).filter(r -> "it-6".equals(r.getEventId())).findFirst().orElseThrow();
        assertThat(deleted.getType()).isEqualTo(RetentionEventType.SCHEDULED);
        assertThat(deleted.getTrigger()).isEqualTo(Action.DELETE);
        assertThat(retention).allSatisfy(r -> assertThat(r.value().toString()).doesNotContain("user-it-"));

        var rollups = pipeline.readUntil(Topics.ROLLUPS_DAILY.name(), Serdes.String().deserializer(),
                Topics.ROLLUPS_DAILY.valueSerde(pipeline.config).deserializer(), read -> read.size() >= events.size());
        Map<String, UsageRollup> latest = new HashMap<>();
        rollups.forEach(r -> latest.put(r.key(), r.value()));
        assertThat(latest.values().stream().mapToLong(UsageRollup::getEventCount).sum()).isEqualTo(events.size());
        assertThat(latest.values().stream().mapToLong(UsageRollup::getViolationCount).sum()).isEqualTo(expectedViolations);

        var dead = pipeline.readUntil(Topics.DEAD_LETTER.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                read -> read.size() >= 3);
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                .anySatisfy(reason -> assertThat(reason).contains("customRetentionDays 99999 is outside 1..3650"))
                .anySatisfy(reason -> assertThat(reason).startsWith("unreadable record"))
                .anySatisfy(reason -> assertThat(reason).contains("is not the event's orgId"));
    }
}
