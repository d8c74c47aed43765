package dev.compliance.streams.catalog;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;

import java.util.HashMap;
import java.util.Map;

/**
 * Publishes a catalog to the compacted topic compliance.catalog, one record per plan x feature keyed
 * PLAN/FEATURE. Idempotent: publishing the same catalog again changes nothing a reader sees.
 */
public final class CatalogPublisher {

    private CatalogPublisher() {
    }

    /** Publishes every row and waits until the broker has them all; returns the number of rows. */
    public static int publish(PolicyCatalog catalog, String bootstrapServers, Map<String, ?> serdeConfig) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        serdeConfig.forEach((k, v) -> {
            if (!k.startsWith("compliance.") && !k.startsWith("schema.registry") && !k.startsWith("basic.auth")
                    && !k.equals("auto.register.schemas") && !k.equals("use.latest.version") && !k.equals(Topics.AVRO_SERDE_CLASS)) {
                props.putIfAbsent(k, v);
            }
        });
        Serde<CatalogEntry> serde = Topics.CATALOG.valueSerde(serdeConfig);
        try (var producer = new KafkaProducer<>(props, Topics.CATALOG.keySerde().serializer(), serde.serializer())) {
            for (CatalogEntry row : catalog.entries()) {
                producer.send(new ProducerRecord<>(Topics.CATALOG.name(), PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
            }
            producer.flush();
        }
        return catalog.entries().size();
    }
}
