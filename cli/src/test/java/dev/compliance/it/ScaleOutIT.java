package dev.compliance.it;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.streams.ComplianceStreams;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How users scale past one machine: a second instance with the same application id takes over part of
 * the partitions, and every event is still judged exactly once.
 */
class ScaleOutIT extends PipelineIT {

    @Test
    void shouldShareThePartitionsBetweenInstancesOfTheSameApplication() {
        RunningPipeline first = pipeline;
        Map<String, Object> props = new HashMap<>(first.config);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, first.applicationId());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        try (PrivateStateDir stateDir = PrivateStateDir.create("it-state-2-")) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            runSecondInstance(first, props);
        }
    }

    private void runSecondInstance(RunningPipeline first, Map<String, Object> props) {
        try (ComplianceStreams app = new ComplianceStreams(props, new ComplianceStreams.Events() { })) {
            app.start();
            KafkaStreams second = app.kafkaStreams();
            PipelineContainers.await("both instances RUNNING with partitions of their own", Duration.ofMinutes(2),
                    () -> second.state() == KafkaStreams.State.RUNNING && first.state() == KafkaStreams.State.RUNNING
                            && !activePartitions(second).isEmpty() && !activePartitions(first.streams()).isEmpty());
            assertThat(activePartitions(second)).doesNotContainAnyElementsOf(activePartitions(first.streams()));

            int events = 60;
            try (var producer = first.producer(Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(first.config).serializer())) {
                for (int i = 0; i < events; i++) {
                    String org = "org-" + (i % 12);
                    producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), org, UsageEvent.newBuilder()
                            .setEventId("scale-" + i).setEventTime(Instant.parse("2026-05-01T12:00:00Z")).setOrgId(org)
                            .setUserId("u").setPlan(Plan.API).setFeature(Feature.MESSAGES_API).setDataClass(DataClass.PUBLIC)
                            .setDataTags(List.of(DataTag.CREDENTIALS)).setSource(EventSource.MANUAL).build()));
                }
            }
            var violations = first.readUntil(Topics.VIOLATIONS.name(), Serdes.String().deserializer(),
                    Topics.VIOLATIONS.valueSerde(first.config).deserializer(),
                    read -> read.stream().filter(r -> r.value().getCode().name().equals("CREDENTIALS_EXPOSED")).count() >= events);
            var ids = violations.stream().filter(r -> r.value().getCode().name().equals("CREDENTIALS_EXPOSED"))
                    .map(r -> r.value().getEventId()).collect(Collectors.toList());
            assertThat(ids).hasSize(events).doesNotHaveDuplicates();
        }
    }

    private static List<String> activePartitions(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(Topics.USAGE_EVENTS.name()))
                .map(Object::toString).toList();
    }
}
