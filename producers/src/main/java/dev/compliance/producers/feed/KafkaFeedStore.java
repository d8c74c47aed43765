package dev.compliance.producers.feed;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.sink.Sinks;
import dev.compliance.producers.sink.DeadLetter;
import dev.compliance.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Commits a page's events (to compliance.usage-events), its unreadable records (to compliance.dead-letter, reason and
 * stage in headers) and the feed position (to compliance.producer-offsets) in one Kafka transaction. Reads the last position with a read_committed consumer, so a position whose transaction was
 * aborted (a crash between send and commit) is never seen, nor are its events by read_committed readers.
 *
 * <p>When compliance.usage-events counts its retention from the events' own time (CreateTime), a page with an event
 * older than that retention is refused before anything is sent (see {@link EventRetention}): committed, the broker
 * would delete the event while its position stays.
 *
 * <p>The transactional.id is {@code compliance-producer-<source>-<orgId>}: a second copy of the same poller fences
 * the first, which then stops with a clear message instead of producing duplicates.
 */
public class KafkaFeedStore implements FeedStore {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** Longer than the default transaction.timeout.ms (60 s), after which the broker aborts an abandoned transaction. */
    private static final Duration POSITION_READ_TIMEOUT = Duration.ofSeconds(90);

    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<UsageEvent> eventSerializer;
    private final String bootstrap;
    private final EventRetention retention;

    /**
     * @param clientConfig Kafka client and serde properties (bootstrap.servers, schema.registry.url, security)
     */
    public KafkaFeedStore(Map<String, ?> clientConfig, String source, String orgId) {
        this.clientConfig = new HashMap<>(clientConfig);
        this.bootstrap = String.valueOf(clientConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.retention = ensureTopicAndReadRetention();
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

    /**
     * Reads the position topic to its high watermark with read_committed: every transaction written before the call
     * is decided by then (committed or aborted). Reading only to the last stable offset would stop early while
     * another poller's transaction is open, and could miss this poller's own later position.
     */
    @Override
    public Optional<String> lastCursor(String source, String orgId) {
        String key = FeedPosition.key(source, orgId);
        try (KafkaConsumer<String, String> consumer = consumer("read_committed")) {
            Set<TopicPartition> partitions = consumer.partitionsFor(TOPIC, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, Long> end;
            try (KafkaConsumer<String, String> uncommitted = consumer("read_uncommitted")) {
                end = uncommitted.endOffsets(partitions, READ_TIMEOUT);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            String cursor = null;
            long deadline = System.nanoTime() + POSITION_READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new SourceException("cannot read the feed position from " + TOPIC + " at " + bootstrap
                            + " within " + POSITION_READ_TIMEOUT.toSeconds() + " s (a transaction stays open)");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
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

    private KafkaConsumer<String, String> consumer(String isolationLevel) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.keySet().retainAll(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    @Override
    public Optional<Instant> oldestKept(Instant now) {
        return retention.oldestKept(now);
    }

    @Override
    public void commit(List<UsageEvent> events, List<DeadLetter> refused, FeedPosition position) {
        retention.check(position.key(), events, Instant.now());
        try {
            producer.beginTransaction();
            String eventsTopic = Topics.USAGE_EVENTS.name();
            for (UsageEvent event : events) {
                producer.send(new ProducerRecord<>(eventsTopic, null, event.getEventTime().toEpochMilli(),
                        event.getOrgId(), eventSerializer.serialize(eventsTopic, event)));
            }
            for (DeadLetter letter : refused) {
                producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, null, letter.key(), letter.value(),
                        letter.kafkaHeaders()));
            }
            producer.send(new ProducerRecord<>(TOPIC, position.key(),
                    position.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.commitTransaction();
        } catch (KafkaException e) {
            if (fenced(e)) {
                throw new SourceException("another poller of " + position.key()
                        + " took over (transactional id fenced); this one stops");
            }
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

    /** A newer producer with the same transactional id took over (the error comes in one of two shapes). */
    private static boolean fenced(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates the compacted position topic when it is missing (1 partition, replication factor min(3, brokers)), and
     * reads how far back compliance.usage-events keeps events (the declared configs when the broker does not tell:
     * the topic does not exist yet, or this principal may not describe its configs).
     */
    private EventRetention ensureTopicAndReadRetention() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.keySet().retainAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        try (Admin admin = Admin.create(config)) {
            ensureTopic(admin);
            return readRetention(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while setting up " + TOPIC);
        } catch (KafkaException e) {
            throw new SourceException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    private void ensureTopic(Admin admin) throws InterruptedException {
        try {
            if (admin.listTopics().names().get().contains(TOPIC)) {
                return;
            }
            short replication = (short) Math.min(3, admin.describeCluster().nodes().get().size());
            var declared = dev.compliance.topics.Topics.PRODUCER_OFFSETS;
            NewTopic topic = new NewTopic(TOPIC, declared.partitions(), replication).configs(declared.configs());
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new SourceException("cannot create " + TOPIC + " at " + bootstrap + ": " + e.getCause().getMessage(), e);
            }
        }
    }

    private EventRetention readRetention(Admin admin) throws InterruptedException {
        String events = Topics.USAGE_EVENTS.name();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, events);
        try {
            Map<String, String> configs = new HashMap<>();
            for (ConfigEntry entry : admin.describeConfigs(List.of(topic)).all().get().get(topic).entries()) {
                if (entry.value() != null) {
                    configs.put(entry.name(), entry.value());
                }
            }
            return EventRetention.of(configs, "the broker");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return EventRetention.declared(events + " does not exist yet");
            }
            if (e.getCause() instanceof AuthorizationException) {
                return EventRetention.declared("not allowed to describe the configs of " + events);
            }
            throw new SourceException("cannot read the configs of " + events + " at " + bootstrap + ": "
                    + e.getCause().getMessage(), e);
        }
    }
}
