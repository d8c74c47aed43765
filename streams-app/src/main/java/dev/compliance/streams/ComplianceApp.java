package dev.compliance.streams;

import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.Properties;

/**
 * The Kafka Streams settings the pipeline runs with. Defaults that matter:
 * <ul>
 *   <li>{@code processing.guarantee=exactly_once_v2}: every input event yields its outputs once, even
 *       across crashes and restarts (outputs are read with isolation.level=read_committed).</li>
 *   <li>Unreadable records and processing failures go to {@code compliance.dead-letter} with the error
 *       in the {@code __streams.errors.*} headers, and processing continues; a registry outage instead
 *       fails the task so the record is retried, never dead-lettered ({@link ErrorHandlers}).</li>
 *   <li>The producer compresses with the output topics' codec, {@link Topics#OUTPUT_COMPRESSION} (its
 *       changelogs too): the same records, fewer bytes for the broker to take in.</li>
 * </ul>
 */
public final class ComplianceApp {

    public static final String DEFAULT_APPLICATION_ID = "claude-compliance";

    private ComplianceApp() {
    }

    /**
     * Streams properties: the defaults below, then {@code overrides} (any StreamsConfig, client,
     * serde or compliance.* key) on top.
     */
    public static Properties streamsProperties(String bootstrapServers, Map<String, ?> overrides) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, ErrorHandlers.Deserialization.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ErrorHandlers.Processing.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), Topics.OUTPUT_COMPRESSION);
        p.putAll(overrides);
        return p;
    }
}
