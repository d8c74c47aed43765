package dev.compliance.it;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.cli.runtime.TopicSetup;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy topic keeps every version, and that is what makes a late event meet the policy of its own
 * time in an app that reads the topic from the start (a new application id, a reset, a restored
 * cluster). Compaction is forced on the broker (segments rolled every 100 ms, dirty ratio 0.01); a
 * compacted control topic with the same records shows that the cleaner really ran and dropped the
 * older version there, while compliance.org-policies, declared as {@code Topics} says, still holds both.
 */
class PolicyHistoryIT {

    static final String ORG = "history-org";
    static final String CONTROL = "control.compacted-org-policies";
    static KafkaContainer broker;

    @BeforeAll
    static void startBroker() {
        broker = PipelineContainers.newBroker();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void aLateEventInANewAppIsJudgedByTheVersionOfItsTimeAfterCompactionRan() throws Exception {
        Map<String, Object> serde = Map.of("schema.registry.url", PipelineContainers.registryUrl());
        Map<String, String> forceCompaction = Map.of(TopicConfig.SEGMENT_MS_CONFIG, "100",
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01", TopicConfig.DELETE_RETENTION_MS_CONFIG, "100");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBootstrapServers()))) {
            new TopicSetup(admin).ensurePipelineTopics((short) 1);
            Map<String, String> control = new HashMap<>(forceCompaction);
            control.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            admin.createTopics(List.of(new NewTopic(CONTROL, 1, (short) 1).configs(control))).all().get();
            Collection<AlterConfigOp> ops = forceCompaction.entrySet().stream()
                    .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.ORG_POLICIES.name()), ops)).all().get();
        }

        OrgPolicy january = OrgPolicy.newBuilder().setOrgId(ORG).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .setAllowedPlans(List.of(Plan.ENTERPRISE)).build();
        OrgPolicy june = OrgPolicy.newBuilder(january).setEffectiveFrom(Instant.parse("2026-06-01T00:00:00Z"))
                .setAllowedPlans(List.of(Plan.ENTERPRISE, Plan.BEDROCK)).build();
        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), Topics.ORG_POLICIES.valueSerde(serde).serializer())) {
            for (OrgPolicy version : List.of(january, june)) {
                for (String topic : List.of(Topics.ORG_POLICIES.name(), CONTROL)) {
                    producer.send(new ProducerRecord<>(topic, null, version.getEffectiveFrom().toEpochMilli(), ORG, version)).get();
                }
            }
            // keep writing other orgs, stamped now, so that segments roll (segment.ms compares record
            // timestamps) and the cleaner finds dirty closed segments
            int[] filler = {0};
            PipelineContainers.await("the log cleaner to compact the control topic down to one version of " + ORG,
                    Duration.ofMinutes(4), () -> {
                        OrgPolicy other = OrgPolicy.newBuilder(january).setOrgId("filler-" + filler[0]++)
                                .setEffectiveFrom(Instant.ofEpochMilli(System.currentTimeMillis())).build();
                        producer.send(new ProducerRecord<>(CONTROL, null, other.getEffectiveFrom().toEpochMilli(), other.getOrgId(), other));
                        producer.send(new ProducerRecord<>(Topics.ORG_POLICIES.name(), null, other.getEffectiveFrom().toEpochMilli(), other.getOrgId(), other));
                        producer.flush();
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                        return versionsOf(CONTROL) == 1;
                    });
        }
        assertThat(versionsOf(Topics.ORG_POLICIES.name())).as("versions of " + ORG + " kept by the policy topic").isEqualTo(2);

        try (RunningPipeline app = new RunningPipeline(broker.getBootstrapServers(), PipelineContainers.registryUrl())) {
            try (var producer = app.producer(Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(app.config).serializer())) {
                for (var e : List.of(PolicyWorkflowIT.event("late-march", ORG, "2026-03-01T12:00:00Z", Plan.BEDROCK),
                        PolicyWorkflowIT.event("july", ORG, "2026-07-01T12:00:00Z", Plan.BEDROCK),
                        PolicyWorkflowIT.event("marker", "nobody", "2026-07-01T12:00:00Z", Plan.API))) {
                    producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, e.getEventTime().toEpochMilli(), e.getOrgId(), e));
                }
            }
            List<ConsumerRecord<String, Violation>> read = app.readUntil(Topics.VIOLATIONS.name(), Serdes.String().deserializer(),
                    Topics.VIOLATIONS.valueSerde(app.config).deserializer(),
                    r -> r.stream().map(v -> v.value().getEventId()).collect(Collectors.toSet()).containsAll(Set.of("late-march", "marker")));
            Map<String, Set<ViolationCode>> codes = read.stream().collect(Collectors.groupingBy(r -> r.value().getEventId(),
                    Collectors.mapping(r -> r.value().getCode(), Collectors.toSet())));
            assertThat(codes.get("late-march")).as("judged by January's version").contains(ViolationCode.PLAN_NOT_ALLOWED);
            assertThat(codes.getOrDefault("july", Set.of())).as("judged by June's version").doesNotContain(ViolationCode.PLAN_NOT_ALLOWED);
        }
    }

    /** How many records keyed {@link #ORG} the topic holds now. */
    private static long versionsOf(String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBootstrapServers());
        try (var consumer = new KafkaConsumer<>(props, new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all.stream().filter(r -> ORG.equals(r.key())).count();
        }
    }
}
