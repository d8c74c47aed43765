package dev.compliance.it;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.cli.runtime.TopicSetup;
import dev.compliance.streams.ComplianceStreams;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The pipeline as users run it, against a real broker and registry: topics created as declared, the
 * catalog published, the topology running with exactly_once_v2. Outputs are read with read_committed.
 */
final class RunningPipeline implements AutoCloseable {

    final String bootstrapServers;
    final Map<String, Object> config = new HashMap<>();
    private final ComplianceStreams streams;
    private final String applicationId = "it-" + UUID.randomUUID();
    private final PrivateStateDir stateDir = PrivateStateDir.create("it-state-");

    RunningPipeline(String bootstrapServers, String registryUrl) throws Exception {
        this.bootstrapServers = bootstrapServers;
        config.put("schema.registry.url", registryUrl);
        config.put(ComplianceConfig.PSEUDONYM_SECRET, "integration-test-secret");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicSetup(admin).ensurePipelineTopics((short) 1);
        }
        dev.compliance.topics.SchemaSetup.ensure(config);
        CatalogPublisher.publish(PolicyCatalog.load(), bootstrapServers, config);
        Map<String, Object> settings = new HashMap<>(config);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        streams = new ComplianceStreams(settings, new ComplianceStreams.Events() { });
        streams.start();
        PipelineContainers.await("Kafka Streams RUNNING", Duration.ofMinutes(2), () -> streams.state() == KafkaStreams.State.RUNNING);
    }

    String applicationId() {
        return applicationId;
    }

    KafkaStreams streams() {
        return streams.kafkaStreams();
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    void publishPolicies(List<OrgPolicy> policies) {
        try (var producer = producer(Topics.ORG_POLICIES.keySerde().serializer(), Topics.ORG_POLICIES.valueSerde(config).serializer())) {
            policies.forEach(p -> producer.send(new ProducerRecord<>(Topics.ORG_POLICIES.name(), null,
                    p.getEffectiveFrom().toEpochMilli(), p.getOrgId(), p)));
        }
    }

    <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, keys, values);
    }

    /** Reads a topic from the start with read_committed until {@code done} holds for what was read. */
    <K, V> List<ConsumerRecord<K, V>> readUntil(String topic, Deserializer<K> keys, Deserializer<V> values,
                                                Predicate<List<ConsumerRecord<K, V>>> done) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, keys, values)) {
            consumer.subscribe(List.of(topic));
            PipelineContainers.await(topic + " to hold the expected records", Duration.ofMinutes(2), () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                return done.test(read);
            });
        }
        return read;
    }

    @Override
    public void close() {
        streams.close();
        streams.kafkaStreams().cleanUp();
        stateDir.close();
    }
}
