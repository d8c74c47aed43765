package dev.compliance.producers.feed;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.sink.Sinks;
import dev.compliance.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Commits a page's events (to compliance.usage-events) and the feed position (to compliance.producer-offsets) in one
 * Kafka transaction. Reads the last position with a read_committed consumer, so a position whose transaction was
 * aborted (a crash between send and commit) is never seen, nor are its events by read_committed readers.
 *
 * <p>The transactional.id is {@code compliance-producer-<source>-<orgId>}: a second copy of the same poller fences
 * the first, which then stops with a clear message instead of producing duplicates.
 */
public class KafkaFeedStore implements FeedStore {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<UsageEvent> eventSerializer;
    private final String bootstrap;

    /**
     * @param clientConfig Kafka client and serde properties (bootstrap.servers, schema.registry.url, security)
     */
    public KafkaFeedStore(Map<String, ?> clientConfig, String source, String orgId) {
        this.clientConfig = new HashMap<>(clientConfig);
        this.bootstrap = String.valueOf(clientConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        ensureTopic();
        Map<String, Object> producerConfig = Sinks.producerConfig(clientConfig);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compliance-producer-" + source + "-" + orgId);
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        this.eventSerializer = Topics.USAGE_EVENTS.valueSerde(clientConfig).serializer();
        try {
            this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
            producer.initTransactions();
        } catch (KafkaException e) {
            throw new SourceException("cannot start a transactional producer at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> lastCursor(String source, String orgId) {
        String key = FeedPosition.key(source, orgId);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.keySet().retainAll(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(TOPIC, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            String cursor = null;
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new SourceException("cannot read the feed position from " + TOPIC + " at " + bootstrap
                            + " within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        cursor = record.value() == null ? null : FeedPosition.fromJson(record.value()).cursor();
                    }
                }
            }
            return Optional.ofNullable(cursor);
        } catch (KafkaException e) {
            throw new SourceException("cannot read the feed position from " + TOPIC + " at " + bootstrap + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void commit(List<UsageEvent> events, FeedPosition position) {
        try {
            producer.beginTransaction();
            String eventsTopic = Topics.USAGE_EVENTS.name();
            for (UsageEvent event : events) {
                producer.send(new ProducerRecord<>(eventsTopic, null, event.getEventTime().toEpochMilli(),
                        event.getOrgId(), eventSerializer.serialize(eventsTopic, event)));
            }
            producer.send(new ProducerRecord<>(TOPIC, position.key(),
                    position.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw new SourceException("another poller of " + position.key() + " took over (transactional id fenced); "
                    + "this one stops");
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw new SourceException("cannot commit " + events.size() + " events and the position of "
                    + position.key() + " at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Creates the compacted position topic when it is missing: 1 partition, replication factor min(3, brokers). */
    private void ensureTopic() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.keySet().retainAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        try (Admin admin = Admin.create(config)) {
            if (admin.listTopics().names().get().contains(TOPIC)) {
                return;
            }
            short replication = (short) Math.min(3, admin.describeCluster().nodes().get().size());
            NewTopic topic = new NewTopic(TOPIC, 1, replication)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new SourceException("cannot create " + TOPIC + " at " + bootstrap + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while creating " + TOPIC);
        } catch (KafkaException e) {
            throw new SourceException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
    }
}
