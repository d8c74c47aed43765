package dev.compliance.streams;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.streams.ocsf.OcsfComplianceFinding;
import dev.compliance.streams.query.ExposureDelta;
import dev.compliance.streams.query.RecentViolations;
import dev.compliance.streams.query.RetentionExposure;
import dev.compliance.streams.query.RollupsByOrg;
import dev.compliance.streams.retention.RetentionCalculator;
import dev.compliance.streams.retention.RetentionLedger;
import dev.compliance.streams.rollup.DailyRollup;
import dev.compliance.streams.rules.EventContext;
import dev.compliance.streams.rules.Rules;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The pipeline, step by named step. Its diagram is docs/architecture.md ("The pipeline"), the only copy:
 * TopologyDiagramTest checks that every node and topic of {@code build(...).describe()} is named there and
 * every step named there is built here.
 *
 * The steps marked "query store" keep what the API answers from ({@code dev.compliance.streams.query}); they
 * write no topic.
 *
 * Usage events are read as bytes and decoded by the first step, so that a record that cannot be read
 * (bad bytes, unknown schema id, unknown enum symbol) and one that fails validation (missing org,
 * wrong key) both go to compliance.dead-letter with the reason in their headers. Unreadable records on
 * the policy and catalog topics are sent there by Kafka Streams' own dead-letter support
 * (see {@link ComplianceApp}). An org policy out of POLICY.md's ranges is refused by
 * check-org-policy-ranges before it reaches the org's policy history, so the version in force stays in
 * force; the history ({@link PolicyHistory}, one store entry per org with every version) is built from the
 * valid stream with the record time, effectiveFrom.
 */
public final class ComplianceTopology {

    public static final String CATALOG_STORE = "catalog-rows";
    /** The metric scope and entity of refused org policies (stream-compliance-metrics, refused-total). */
    public static final String REFUSED_SCOPE = "compliance";
    public static final String REFUSED_POLICIES = "org-policies";

    private ComplianceTopology() {
    }

    /** Builds the topology; {@code config} holds the serde settings and the compliance.* settings. */
    public static Topology build(Map<String, ?> config) {
        ComplianceConfig settings = ComplianceConfig.from(config);
        Map<String, ?> serdes = settings.serdeConfig();
        Serde<UsageEvent> usageEvents = Topics.USAGE_EVENTS.valueSerde(serdes);
        Serde<OrgPolicy> orgPolicies = Topics.ORG_POLICIES.valueSerde(serdes);
        Serde<CatalogEntry> catalogRows = Topics.CATALOG.valueSerde(serdes);
        PolicyCatalog bundled = PolicyCatalog.load();
        Pseudonymizer pseudonymizer = new Pseudonymizer(settings.pseudonymSecret());

        StreamsBuilder builder = new StreamsBuilder();

        // Org policies, versioned by effectiveFrom: a late event meets the policy of its own time. A record
        // out of range is refused before the history, so the version in force before it stays in force.
        Map<String, KStream<String, CheckedPolicy>> policies = builder.stream(Topics.ORG_POLICIES.name(),
                        Consumed.with(Serdes.String(), orgPolicies)
                                .withTimestampExtractor(new EventTimeExtractors.PolicyEffectiveFrom())
                                .withName("read-org-policies"))
                .mapValues(p -> new CheckedPolicy(p, PolicyValidation.problem(p)), Named.as("check-org-policy-ranges"))
                .split(Named.as("org-policy-"))
                .branch((orgId, checked) -> checked.reason() == null, Branched.as("valid"))
                .defaultBranch(Branched.as("refused"));

        policies.get("org-policy-refused")
                .processValues(() -> new RefusedPolicyWithReason(orgPolicies.serializer()), Named.as("refused-policy-with-reason"))
                .to(Topics.DEAD_LETTER.name(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-refused-policies"));

        // every version of each org's policy, in one entry per org (PolicyHistory says why not a versioned store)
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PolicyHistory.STORE),
                Serdes.String(), PolicyHistory.serde(orgPolicies)));
        policies.get("org-policy-valid")
                .mapValues(CheckedPolicy::policy, Named.as("valid-org-policies"))
                .process(() -> new PolicyHistory.Keep(settings.policyHistory()), Named.as("keep-org-policy-history"), PolicyHistory.STORE);

        // The plan x feature catalog, on every instance.
        GlobalKTable<String, CatalogEntry> catalog = builder.globalTable(Topics.CATALOG.name(),
                Consumed.with(Serdes.String(), catalogRows).withName("read-catalog"),
                Materialized.<String, CatalogEntry, KeyValueStore<Bytes, byte[]>>as(CATALOG_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(catalogRows));

        Map<String, KStream<String, DecodeAndValidate.Decoded>> checked = builder.stream(Topics.USAGE_EVENTS.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-usage-events"))
                .processValues(() -> new DecodeAndValidate(usageEvents.deserializer()), Named.as("decode-and-validate"))
                .split(Named.as("validate-"))
                .branch((orgId, decoded) -> decoded instanceof DecodeAndValidate.Valid, Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));

        checked.get("validate-invalid")
                .processValues(DeadLetterWithReason::new, Named.as("dead-letter-with-reason"))
                .to(Topics.DEAD_LETTER.name(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-dead-letters"));

        KStream<String, Evaluation> evaluated = checked.get("validate-valid")
                .mapValues(decoded -> ((DecodeAndValidate.Valid) decoded).event(), Named.as("valid-events"))
                .processValues(() -> new PolicyHistory.InForce<>(JoinedPolicy::new), Named.as("join-org-policy-in-force"),
                        PolicyHistory.STORE)
                .leftJoin(catalog,
                        (orgId, joined) -> PolicyCatalog.key(joined.event().getPlan(), joined.event().getFeature()),
                        (joined, row) -> new EventContext(joined.event(), joined.policy(),
                                row != null ? row : bundled.entry(joined.event().getPlan(), joined.event().getFeature())),
                        Named.as("join-catalog-row"))
                .mapValues(ctx -> new Evaluation(ctx, Rules.judge(ctx), RetentionCalculator.decide(ctx)),
                        Named.as("judge-against-rules"));

        KStream<String, dev.compliance.avro.Violation> violations = evaluated
                .flatMapValues(Evaluation::violations, Named.as("one-record-per-violation"));
        violations.to(Topics.VIOLATIONS.name(),
                Produced.with(Serdes.String(), Topics.VIOLATIONS.valueSerde(serdes)).withName("write-violations"));
        violations.mapValues(OcsfComplianceFinding::toJson, Named.as("as-ocsf-compliance-finding"))
                .to(Topics.FINDINGS_OCSF.name(),
                        Produced.with(Serdes.String(), Serdes.String()).withName("write-ocsf-findings"));

        // for the live feed of the API: the last violations of each task
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RecentViolations.STORE),
                Serdes.Long(), Topics.VIOLATIONS.valueSerde(serdes)));
        violations.process(RecentViolations::new, Named.as("keep-recent-violations"), RecentViolations.STORE);

        // caching: a bucket is updated by many events between commits, and only its last value is logged
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RetentionLedger.STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        KStream<String, dev.compliance.avro.RetentionEvent> ledger = evaluated.process(
                () -> new RetentionLedger(pseudonymizer, settings.expiryCheckInterval()), Named.as("retention-ledger"), RetentionLedger.STORE);
        ledger.to(Topics.RETENTION.name(),
                Produced.with(Serdes.String(), Topics.RETENTION.valueSerde(serdes)).withName("write-retention-ledger"));

        // for the retention API: per org, what is held on each day and when it goes
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RetentionExposure.STORE),
                Serdes.String(), ExposureDelta.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RetentionExposure.UNTIL_DELETED_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RetentionExposure.ORGS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        ledger.process(() -> new RetentionExposure(settings.ledgerHistory()), Named.as("track-retention-exposure"),
                RetentionExposure.STORE, RetentionExposure.UNTIL_DELETED_STORE, RetentionExposure.ORGS_STORE);

        Serde<UsageRollup> rollups = Topics.ROLLUPS_DAILY.valueSerde(serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DailyRollup.STORE),
                Serdes.String(), rollups).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DailyRollup.PROGRESS_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DailyRollup.CORRECTIONS_STORE),
                Serdes.String(), rollups));
        KStream<String, UsageRollup> daily = evaluated.process(() -> new DailyRollup(settings.rollupGrace()),
                Named.as("daily-rollup"), DailyRollup.STORE, DailyRollup.PROGRESS_STORE, DailyRollup.CORRECTIONS_STORE);
        daily.to(Topics.ROLLUPS_DAILY.name(), Produced.with(Serdes.String(), rollups).withName("write-daily-rollups"));

        // for the violations API: every rollup of the history kept, by org
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RollupsByOrg.STORE),
                Serdes.String(), rollups).withCachingEnabled());
        daily.process(() -> new RollupsByOrg(settings.ledgerHistory()), Named.as("keep-rollups-by-org"), RollupsByOrg.STORE);

        return builder.build();
    }

    /** A usage event with the org policy in force at its time (null when none was). */
    private record JoinedPolicy(UsageEvent event, OrgPolicy policy) {
    }

    /** An org policy record and why it is refused (null reason: valid). */
    private record CheckedPolicy(OrgPolicy policy, String reason) {
    }

    /**
     * Writes a refused org policy to the dead-letter topic with the reason in its headers, encoded for the
     * org-policy topic's subject (the schema it was written with there), so a consumer decodes it as it
     * would the original.
     */
    private static final class RefusedPolicyWithReason implements FixedKeyProcessor<String, CheckedPolicy, byte[]> {
        private static final Logger LOG = LoggerFactory.getLogger(RefusedPolicyWithReason.class);
        private final Serializer<OrgPolicy> serializer;
        private FixedKeyProcessorContext<String, byte[]> context;
        private Sensor refused;

        RefusedPolicyWithReason(Serializer<OrgPolicy> serializer) {
            this.serializer = serializer;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
            // on /metrics as stream-compliance-metrics refused-total{compliance-id=org-policies}
            this.refused = context.metrics().addRateTotalSensor(REFUSED_SCOPE, REFUSED_POLICIES, "refused", Sensor.RecordingLevel.INFO);
        }

        @Override
        public void process(FixedKeyRecord<String, CheckedPolicy> record) {
            refused.record();
            LOG.warn("Refused to compliance.dead-letter: {}", record.value().reason());
            var meta = context.recordMetadata().orElseThrow();
            byte[] bytes = serializer.serialize(Topics.ORG_POLICIES.name(), record.value().policy());
            context.forward(record.withValue(bytes).withHeaders(DeadLetters.refused(record.headers(), "check-org-policy-ranges",
                    record.value().reason(), PolicyValidation.class.getName(), meta.topic(), meta.partition(), meta.offset())));
        }
    }

    /** Writes a refused record to the dead-letter topic, as it arrived, with the reason in its headers. */
    private static final class DeadLetterWithReason implements FixedKeyProcessor<String, DecodeAndValidate.Decoded, byte[]> {
        private FixedKeyProcessorContext<String, byte[]> context;

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, DecodeAndValidate.Decoded> record) {
            var decoded = (DecodeAndValidate.Refused) record.value(); // the invalid branch holds only refusals
            var meta = context.recordMetadata().orElseThrow();
            context.forward(record.withValue(decoded.raw()).withHeaders(DeadLetters.refused(record.headers(),
                    decoded.reason(), decoded.exception(), meta.topic(), meta.partition(), meta.offset())));
        }
    }
}
