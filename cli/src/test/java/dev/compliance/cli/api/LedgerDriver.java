package dev.compliance.cli.api;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.serde.InMemorySchemaRegistryClient;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.ComplianceTopology;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.streams.query.LedgerQueries;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole topology in a TopologyTestDriver (private state.dir, in-memory registry, bundled catalog), with
 * the API's queries over its stores: the API and console tests ask it what a running app would answer.
 */
final class LedgerDriver implements AutoCloseable {

    private final String scope = "ledger-api-" + UUID.randomUUID();
    private final PrivateStateDir stateDir = PrivateStateDir.create("ledger-api-");
    final Map<String, Object> config = new HashMap<>();
    final TopologyTestDriver driver;
    private final TestInputTopic<String, UsageEvent> events;
    private final TestInputTopic<String, OrgPolicy> policies;
    final TestOutputTopic<String, Violation> violations;
    final TestOutputTopic<String, RetentionEvent> retention;

    LedgerDriver(Instant wallClock) {
        config.put("schema.registry.url", "mock://" + scope);
        config.put(ComplianceConfig.PSEUDONYM_SECRET, "ledger-api-test-secret");
        var props = ComplianceApp.streamsProperties("unused:9092", Map.of());
        props.putAll(config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ComplianceTopology.build(config), props, wallClock);
        TestInputTopic<String, CatalogEntry> catalog = driver.createInputTopic(Topics.CATALOG.name(),
                Serdes.String().serializer(), Topics.CATALOG.valueSerde(config).serializer());
        PolicyCatalog.load().entries().forEach(row -> catalog.pipeInput(PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
        events = driver.createInputTopic(Topics.USAGE_EVENTS.name(), Serdes.String().serializer(),
                Topics.USAGE_EVENTS.valueSerde(config).serializer());
        policies = driver.createInputTopic(Topics.ORG_POLICIES.name(), Serdes.String().serializer(),
                Topics.ORG_POLICIES.valueSerde(config).serializer());
        violations = driver.createOutputTopic(Topics.VIOLATIONS.name(), Serdes.String().deserializer(),
                Topics.VIOLATIONS.valueSerde(config).deserializer());
        retention = driver.createOutputTopic(Topics.RETENTION.name(), Serdes.String().deserializer(),
                Topics.RETENTION.valueSerde(config).deserializer());
    }

    void policy(OrgPolicy p) {
        policies.pipeInput(new TestRecord<>(p.getOrgId(), p, p.getEffectiveFrom()));
    }

    void event(UsageEvent e) {
        events.pipeInput(new TestRecord<>(e.getOrgId(), e, e.getEventTime()));
    }

    LedgerQueries queries() {
        return new LedgerQueries(new LedgerQueries.Stores() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        });
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistryClient.drop(scope);
        stateDir.close();
    }
}
