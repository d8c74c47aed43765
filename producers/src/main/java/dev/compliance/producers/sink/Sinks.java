package dev.compliance.producers.sink;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.SourceException;
import dev.compliance.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka sinks of the sources, built from one client config map: Kafka client properties (bootstrap.servers,
 * security.protocol, sasl.*, ssl.*) and serde properties (schema.registry.url, basic.auth.*). Values go through the
 * project's Avro serde (Confluent wire format, schemas in the registry).
 */
public final class Sinks {

    private Sinks() {
    }

    /** Usage events to compliance.usage-events, key orgId, record timestamp eventTime. */
    public static RecordSink<UsageEvent> usageEvents(Map<String, ?> clientConfig) {
        return new KafkaRecordSink<>(producerConfig(clientConfig), Topics.USAGE_EVENTS.name(), UsageEvent::getOrgId,
                e -> e.getEventTime().toEpochMilli(), valueSerializer(clientConfig, Topics.USAGE_EVENTS));
    }

    /** Org policies to compliance.org-policies, key orgId, record timestamp effectiveFrom. */
    public static RecordSink<OrgPolicy> orgPolicies(Map<String, ?> clientConfig) {
        return new KafkaRecordSink<>(producerConfig(clientConfig), Topics.ORG_POLICIES.name(), OrgPolicy::getOrgId,
                p -> p.getEffectiveFrom().toEpochMilli(), valueSerializer(clientConfig, Topics.ORG_POLICIES));
    }

    /**
     * Records a source could not turn into events, to compliance.dead-letter: key the org when known, the value and
     * headers as the {@link DeadLetter} says (never content), stamped by the broker (the topic is LogAppendTime).
     */
    public static RecordSink<DeadLetter> deadLetters(Map<String, ?> clientConfig) {
        return new KafkaRecordSink<>(producerConfig(clientConfig), Topics.DEAD_LETTER.name(), DeadLetter::key,
                letter -> null, DeadLetter::kafkaHeaders, (topic, letter) -> letter.value());
    }

    /** The Kafka producer properties among the client config (the serde's properties are left out). */
    public static Map<String, Object> producerConfig(Map<String, ?> clientConfig) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }

    static <V> Serializer<V> valueSerializer(Map<String, ?> clientConfig, Topics.Topic<String, V> topic) {
        try {
            return topic.valueSerde(clientConfig).serializer();
        } catch (KafkaException e) {
            throw new SourceException("cannot set up the Avro serializer for " + topic.name() + ": "
                    + KafkaRecordSink.rootMessage(e), e);
        }
    }
}
