package dev.compliance.streams.catalog;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.TransactionalPublisher;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes a catalog to the compacted topic compliance.catalog, one record per plan x feature keyed
 * PLAN/FEATURE, in one transaction. Idempotent: publishing the same catalog again changes nothing a reader sees.
 */
public final class CatalogPublisher {

    /**
     * The transactional id of catalog publishers ({@code run}, {@code demo}, {@code catalog publish}):
     * {@code <application.id>-catalog-publish}, under the app's transactional-id prefix (the secure
     * profile's ACLs grant the app that prefix, and the app owns compliance.catalog).
     */
    public static String transactionalId(Map<String, ?> config) {
        Object app = config.get("application.id");
        return (app == null ? ComplianceApp.DEFAULT_APPLICATION_ID : app) + "-catalog-publish";
    }

    private CatalogPublisher() {
    }

    /** Publishes every row in one transaction (a reader sees the whole catalog or none of it); returns the number of rows. */
    public static int publish(PolicyCatalog catalog, String bootstrapServers, Map<String, ?> serdeConfig) {
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<ProducerRecord<String, CatalogEntry>> rows = catalog.entries().stream()
                .map(row -> new ProducerRecord<>(Topics.CATALOG.name(), PolicyCatalog.key(row.getPlan(), row.getFeature()), row))
                .toList();
        return TransactionalPublisher.publish(Topics.CATALOG, rows, config, transactionalId(config));
    }
}
