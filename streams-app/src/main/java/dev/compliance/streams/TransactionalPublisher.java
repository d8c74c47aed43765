package dev.compliance.streams;

import dev.compliance.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes a set of records to one declared topic in ONE Kafka transaction: a reader with
 * isolation.level=read_committed (the pipeline, {@code policy show}) sees all of them or none. Used
 * by {@code compliance policy apply} and {@code compliance catalog publish}.
 *
 * <p>The transactional id names the publisher ({@code compliance-producer-policy-apply}, ...): a second
 * publisher with the same id fences the first, so two operators applying at once cannot interleave
 * half of each other's transactions.
 */
public final class TransactionalPublisher {

    private TransactionalPublisher() {
    }

    /**
     * Sends {@code records} (null values are tombstones) and commits; aborts and rethrows if any send fails.
     *
     * @param clientConfig bootstrap.servers, client security settings and the serde settings (schema.registry.url, ...)
     * @return the number of records committed
     */
    public static <V> int publish(Topics.Topic<String, V> topic, List<ProducerRecord<String, V>> records,
                                  Map<String, ?> clientConfig, String transactionalId) {
        if (records.isEmpty()) {
            return 0;
        }
        Map<String, Object> props = clientProperties(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        try (var producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde(clientConfig).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                for (ProducerRecord<String, V> record : records) {
                    producer.send(record);
                }
                producer.commitTransaction();
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw e;
            }
        }
        return records.size();
    }

    /**
     * The client settings (bootstrap.servers, security.*, sasl.*, ssl.*, ...) out of a map that also holds
     * serde, Kafka Streams and compliance.* settings.
     */
    public static Map<String, Object> clientProperties(Map<String, ?> config) {
        Map<String, Object> props = new HashMap<>();
        config.forEach((k, v) -> {
            if (!k.startsWith("compliance.") && !k.startsWith("schema.registry") && !k.startsWith("basic.auth")
                    && !k.equals("auto.register.schemas") && !k.equals("use.latest.version") && !k.equals(Topics.AVRO_SERDE_CLASS)
                    && !STREAMS_ONLY.contains(k)) {
                props.put(k, v);
            }
        });
        return props;
    }

    private static final Set<String> STREAMS_ONLY = Set.of(StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.REPLICATION_FACTOR_CONFIG,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
}
