package dev.compliance.streams;

import dev.compliance.avro.Action;
import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.serde.InMemorySchemaRegistryClient;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole topology in a TopologyTestDriver, with an in-memory registry (mock://), the bundled
 * catalog published, and given / when / then helpers. One fixture per test.
 */
public final class PipelineFixture implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    public final String scope = "test-" + UUID.randomUUID();
    public final Map<String, Object> config = new HashMap<>();
    /** Never the shared default state.dir: two test runs on one machine would fight over RocksDB's lock. */
    private final PrivateStateDir stateDir = PrivateStateDir.create("pipeline-fixture-");
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, UsageEvent> events;
    public final TestInputTopic<byte[], byte[]> rawEvents;
    public final TestInputTopic<String, OrgPolicy> policies;
    public final TestInputTopic<String, byte[]> rawPolicies;
    public final TestInputTopic<String, CatalogEntry> catalog;
    public final TestOutputTopic<String, Violation> violations;
    public final TestOutputTopic<String, String> findings;
    public final TestOutputTopic<String, RetentionEvent> retention;
    public final TestOutputTopic<String, UsageRollup> rollups;
    public final TestOutputTopic<byte[], byte[]> deadLetters;
    private int sequence;

    public PipelineFixture() {
        this(T0);
    }

    public PipelineFixture(Instant wallClockStart) {
        config.put("schema.registry.url", "mock://" + scope);
        config.put(ComplianceConfig.PSEUDONYM_SECRET, "test-secret-0123456789");
        config.put(ComplianceConfig.EXPIRY_CHECK_INTERVAL_MS, "60000");
        var props = ComplianceApp.streamsProperties("unused:9092", Map.of());
        props.putAll(config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ComplianceTopology.build(config), props, wallClockStart);
        events = driver.createInputTopic(Topics.USAGE_EVENTS.name(), Serdes.String().serializer(),
                Topics.USAGE_EVENTS.valueSerde(config).serializer());
        rawEvents = driver.createInputTopic(Topics.USAGE_EVENTS.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        policies = driver.createInputTopic(Topics.ORG_POLICIES.name(), Serdes.String().serializer(),
                Topics.ORG_POLICIES.valueSerde(config).serializer());
        rawPolicies = driver.createInputTopic(Topics.ORG_POLICIES.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        catalog = driver.createInputTopic(Topics.CATALOG.name(), Serdes.String().serializer(),
                Topics.CATALOG.valueSerde(config).serializer());
        violations = driver.createOutputTopic(Topics.VIOLATIONS.name(), Serdes.String().deserializer(),
                Topics.VIOLATIONS.valueSerde(config).deserializer());
        findings = driver.createOutputTopic(Topics.FINDINGS_OCSF.name(), Serdes.String().deserializer(), Serdes.String().deserializer());
        retention = driver.createOutputTopic(Topics.RETENTION.name(), Serdes.String().deserializer(),
                Topics.RETENTION.valueSerde(config).deserializer());
        rollups = driver.createOutputTopic(Topics.ROLLUPS_DAILY.name(), Serdes.String().deserializer(),
                Topics.ROLLUPS_DAILY.valueSerde(config).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        PolicyCatalog.load().entries().forEach(row ->
                catalog.pipeInput(PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
    }

    // ------------------------------------------------------------------ given

    public static OrgPolicy.Builder org(String orgId) {
        return OrgPolicy.newBuilder().setOrgId(orgId).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .setZdrEnabled(false).setBaaSigned(false).setDevelopmentPartnerProgram(false)
                .setAllowedPlans(List.of()).setCustomRetentionDays(null).setLocalTranscriptDays(30);
    }

    public PipelineFixture given(OrgPolicy.Builder policy) {
        OrgPolicy p = policy.build();
        policies.pipeInput(new TestRecord<>(p.getOrgId(), p, p.getEffectiveFrom()));
        return this;
    }

    public UsageEvent.Builder event(String orgId, Plan plan, Feature feature, DataClass dataClass, DataTag... tags) {
        return UsageEvent.newBuilder().setEventId("e" + (++sequence)).setEventTime(T0).setOrgId(orgId)
                .setUserId("alice@" + orgId + ".example").setPlan(plan).setFeature(feature).setDataClass(dataClass)
                .setDataTags(List.of(tags)).setAction(Action.USE).setResourceId(null).setTrainingOptIn(null)
                .setIncognito(false).setSessionId(null).setSource(EventSource.MANUAL).setRequestCount(null);
    }

    // ------------------------------------------------------------------ when

    public UsageEvent send(UsageEvent.Builder event) {
        UsageEvent e = event.build();
        events.pipeInput(new TestRecord<>(e.getOrgId(), e, e.getEventTime()));
        return e;
    }

    // ------------------------------------------------------------------ then

    /** The codes the event raised, in rule order, reading (and consuming) the violations topic. */
    public List<ViolationCode> codesOf(UsageEvent e) {
        return violations.readValuesToList().stream()
                .filter(v -> v.getEventId().equals(e.getEventId()))
                .map(Violation::getCode).toList();
    }

    /** The SCHEDULED retention record of the event (consumes the retention topic). */
    public RetentionEvent scheduledFor(UsageEvent e) {
        return retention.readValuesToList().stream()
                .filter(r -> e.getEventId().equals(r.getEventId()))
                .findFirst().orElseThrow(() -> new AssertionError("no retention record for " + e.getEventId()));
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistryClient.drop(scope);
        stateDir.close();
    }
}
