package dev.compliance.producers.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compliance.producers.PlantedText;
import dev.compliance.registry.LocalSchemaRegistry;
import dev.compliance.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real broker (Testcontainers, the image of {@code -Dkafka.image}) and a real schema registry (the Apicurio
 * distribution) with every topic of {@link Topics} created, for the producers' integration tests; and the reads
 * they check with: every record of a topic, and no planted text in any byte of any topic.
 *
 * <p>The broker enforces retention every second instead of every 5 minutes (30 s after start the first time), so a
 * record deleted for its age goes at once, not at a random moment in the middle of a test class.
 */
final class BrokerAndRegistry implements AutoCloseable {

    private final KafkaContainer kafka;
    private final LocalSchemaRegistry registry;

    private BrokerAndRegistry(KafkaContainer kafka, LocalSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    static BrokerAndRegistry start() throws Exception {
        DockerImageName image = DockerImageName.parse(System.getProperty("kafka.image", "apache/kafka:4.3.1"))
                .asCompatibleSubstituteFor("apache/kafka");
        KafkaContainer kafka = new KafkaContainer(image)
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_LOG_INITIAL_TASK_DELAY_MS", "0")
                .withEnv("KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS", "1000")
                .withStartupTimeout(Duration.ofMinutes(3));
        kafka.start();
        BrokerAndRegistry started = new BrokerAndRegistry(kafka, LocalSchemaRegistry.start());
        try (Admin admin = started.admin()) {
            List<NewTopic> topics = Topics.ALL.stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                    .toList();
            admin.createTopics(topics).all().get();
        }
        return started;
    }

    String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    /** What the sources are configured with: bootstrap.servers and schema.registry.url. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.getBootstrapServers());
        config.put("schema.registry.url", registry.url());
        return config;
    }

    Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", kafka.getBootstrapServers()));
    }

    /** Fails when any planted text is in a key, value or header of any topic (internal ones too). */
    void assertEveryTopicIsFreeOf(String... planted) throws Exception {
        Set<String> topics;
        try (Admin admin = admin()) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        }
        long bytes = 0;
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(topic)) {
                for (byte[] part : new byte[][] {record.key(), record.value()}) {
                    if (part != null) {
                        PlantedText.assertAbsent(part, planted);
                        bytes += part.length;
                    }
                }
                for (Header header : record.headers()) {
                    PlantedText.assertAbsent(header.key().getBytes(StandardCharsets.UTF_8), planted);
                    if (header.value() != null) {
                        PlantedText.assertAbsent(header.value(), planted);
                    }
                }
            }
        }
        assertThat(bytes).isPositive();
    }

    /**
     * Every committed record of a topic, read_committed up to the high watermark (not only to the last stable offset:
     * right after a commit the transaction markers may still be on their way).
     */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed");
             KafkaConsumer<byte[], byte[]> uncommitted = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = uncommitted.endOffsets(partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading %s to its end within 90 s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        registry.close();
        kafka.stop();
    }
}
