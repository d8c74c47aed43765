package dev.compliance.topics;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.avro.Violation;
import dev.compliance.serde.SpecificAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every topic of the pipeline, declared once: name, partitions, cleanup policy and configs, and the
 * key and value serdes. Producers, the topology, the CLI and the tests all take topics from here.
 *
 * <p>The input topic and the org-policy topic have the same partition count and the same key
 * (orgId): the topology joins them without repartitioning.
 */
public final class Topics {

    /** Partitions of the org-keyed topics. They must stay equal (co-partitioned join). */
    public static final int ORG_PARTITIONS = 6;

    /** One declared topic. */
    public record Topic<K, V>(String name, int partitions, Map<String, String> configs,
                              Supplier<Serde<K>> keySerdeFactory,
                              Function<Map<String, ?>, Serde<V>> valueSerdeFactory,
                              org.apache.avro.Schema valueSchema) {

        /** The registry subject of the value schema (TopicNameStrategy), or null for a non-Avro topic. */
        public String valueSubject() {
            return valueSchema == null ? null : name + "-value";
        }

        public Serde<K> keySerde() {
            return keySerdeFactory.get();
        }

        /** The value serde, configured with the serde settings (schema.registry.url, ...). */
        public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
            return valueSerdeFactory.apply(serdeConfig);
        }

        public String cleanupPolicy() {
            return configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        }
    }

    /**
     * How long the org-policy topic keeps each version: ten years, the policy history of the versioned
     * table (declared before the topics: their configs use it).
     */
    public static final Duration POLICY_HISTORY = Duration.ofDays(3650);

    public static final Topic<String, UsageEvent> USAGE_EVENTS = avro("compliance.usage-events", ORG_PARTITIONS,
            deleteAfter(Duration.ofDays(7)), UsageEvent.class);

    /**
     * Every version of every org's policy, for {@link #POLICY_HISTORY}: the versioned join is only as good
     * as the history this topic keeps, so it is NOT compacted (compaction keeps one record per orgId, and
     * an app that re-reads the topic would judge a late event by today's policy). Records carry their
     * effectiveFrom as CreateTime (a retirement: a tombstone at its time), and scheduled versions up to
     * the same horizon ahead are accepted (the broker's default refuses timestamps over an hour ahead).
     */
    public static final Topic<String, OrgPolicy> ORG_POLICIES = avro("compliance.org-policies", ORG_PARTITIONS,
            history(), OrgPolicy.class);

    public static final Topic<String, CatalogEntry> CATALOG = avro("compliance.catalog", 1,
            compacted(), CatalogEntry.class);

    /**
     * The codec of the pipeline's output topics, declared on each (below) and used by the pipeline's producer
     * (ComplianceApp), so that the broker keeps the batches as they come instead of recompressing them. About
     * four output records and two changelog records leave per usage event, most of them JSON or Avro that
     * repeats itself (issue 15: 1,970 bytes per event, half of it OCSF JSON); lz4 costs the least CPU of
     * Kafka's codecs. Compression changes the batches on the wire and on disk, never a record's bytes.
     */
    public static final String OUTPUT_COMPRESSION = "lz4";

    public static final Topic<String, Violation> VIOLATIONS = avro("compliance.violations", ORG_PARTITIONS,
            compressed(deleteAfter(Duration.ofDays(90))), Violation.class);

    /** Violations as OCSF 1.8 Compliance Finding JSON (class_uid 2003), for SIEM ingestion. */
    public static final Topic<String, String> FINDINGS_OCSF = new Topic<>("compliance.findings.ocsf", ORG_PARTITIONS,
            compressed(deleteAfter(Duration.ofDays(30))), Serdes::String, config -> Serdes.String(), null);

    public static final Topic<String, RetentionEvent> RETENTION = avro("compliance.retention", ORG_PARTITIONS,
            compressed(deleteAfter(Duration.ofDays(400))), RetentionEvent.class);

    public static final Topic<String, UsageRollup> ROLLUPS_DAILY = avro("compliance.rollups.daily", ORG_PARTITIONS,
            compressed(compacted()), UsageRollup.class);

    /** Records that could not be read or failed validation, as they arrived; the reason is in the headers. */
    public static final Topic<byte[], byte[]> DEAD_LETTER = new Topic<>("compliance.dead-letter", ORG_PARTITIONS,
            deleteAfter(Duration.ofDays(30)), Serdes::ByteArray, config -> Serdes.ByteArray(), null);

    /**
     * Where the polling producers (Compliance API, usage report) keep their feed positions, key
     * {@code source/orgId}, value JSON; written in the same transaction as the events of each page.
     */
    public static final Topic<String, String> PRODUCER_OFFSETS = new Topic<>("compliance.producer-offsets", 1,
            compacted(), Serdes::String, config -> Serdes.String(), null);

    /** Every topic, in pipeline order. */
    public static final List<Topic<?, ?>> ALL = List.of(USAGE_EVENTS, ORG_POLICIES, CATALOG, VIOLATIONS,
            FINDINGS_OCSF, RETENTION, ROLLUPS_DAILY, DEAD_LETTER, PRODUCER_OFFSETS);

    private Topics() {
    }

    /**
     * The Avro serde class, by configuration: ours by default; set it to
     * {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} (with Confluent's jars on the
     * classpath) to use Confluent's serde instead. Both read the same settings and the same wire format.
     */
    public static final String AVRO_SERDE_CLASS = "avro.serde.class";

    private static <V extends SpecificRecord> Topic<String, V> avro(String name, int partitions,
                                                                   Map<String, String> configs, Class<V> type) {
        return new Topic<>(name, partitions, configs, Serdes::String, config -> {
            Serde<V> serde = avroSerde(config.get(AVRO_SERDE_CLASS));
            serde.configure(config, false);
            return serde;
        }, org.apache.avro.specific.SpecificData.get().getSchema(type));
    }

    @SuppressWarnings("unchecked")
    private static <V> Serde<V> avroSerde(Object className) {
        if (className == null || className.toString().equals(SpecificAvroSerde.class.getName())) {
            return (Serde<V>) new SpecificAvroSerde<>();
        }
        try {
            return (Serde<V>) Class.forName(className.toString()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new org.apache.kafka.common.config.ConfigException(AVRO_SERDE_CLASS + "=" + className
                    + " cannot be used: " + e + " (is its jar on the classpath?)");
        }
    }

    private static Map<String, String> history() {
        String horizon = Long.toString(POLICY_HISTORY.toMillis());
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, horizon,
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime",
                TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, horizon);
    }

    /** {@code configs} with the output topics' codec, {@link #OUTPUT_COMPRESSION}. */
    private static Map<String, String> compressed(Map<String, String> configs) {
        Map<String, String> with = new java.util.HashMap<>(configs);
        with.put(TopicConfig.COMPRESSION_TYPE_CONFIG, OUTPUT_COMPRESSION);
        return Map.copyOf(with);
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /**
     * Time-retained topics keep records for {@code retention} from when they were written: the broker
     * stamps them with LogAppendTime. Records here carry event time otherwise (the topology sets it,
     * producers send it), and a backfill of last year's events must not be deleted the moment it lands.
     */
    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
    }
}
