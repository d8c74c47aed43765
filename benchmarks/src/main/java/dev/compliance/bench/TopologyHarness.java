package dev.compliance.bench;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.serde.InMemorySchemaRegistryClient;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.ComplianceTopology;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole topology in a TopologyTestDriver (no broker), fed raw usage-event bytes as they arrive on
 * the input topic: decode, joins, rules, ledger and rollup stores (RocksDB in a temporary state
 * directory) and the output serializers all run; only the broker is missing. Output records are
 * counted and dropped by {@link #drain()}.
 */
public final class TopologyHarness implements AutoCloseable {

    private final String scope = "bench-" + UUID.randomUUID();
    private final PrivateStateDir stateDir;
    public final Map<String, Object> config = new HashMap<>();
    public final TopologyTestDriver driver;
    private final Serializer<UsageEvent> eventSerializer;
    private final TestInputTopic<String, byte[]> rawEvents;
    private final TestInputTopic<String, OrgPolicy> policies;
    private final TestInputTopic<String, CatalogEntry> catalog;
    private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new LinkedHashMap<>();
    private final Map<String, Long> outputCounts = new LinkedHashMap<>();

    public TopologyHarness(Instant wallClockStart) {
        stateDir = PrivateStateDir.create(stateParent(), "compliance-bench-state");
        config.put("schema.registry.url", "mock://" + scope);
        config.put(ComplianceConfig.PSEUDONYM_SECRET, "benchmark-secret-0123456789");
        var props = ComplianceApp.streamsProperties("unused:9092", Map.of());
        props.putAll(config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ComplianceTopology.build(config), props, wallClockStart);
        eventSerializer = Topics.USAGE_EVENTS.valueSerde(config).serializer();
        rawEvents = driver.createInputTopic(Topics.USAGE_EVENTS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        policies = driver.createInputTopic(Topics.ORG_POLICIES.name(), Serdes.String().serializer(),
                Topics.ORG_POLICIES.valueSerde(config).serializer());
        catalog = driver.createInputTopic(Topics.CATALOG.name(), Serdes.String().serializer(),
                Topics.CATALOG.valueSerde(config).serializer());
        for (var topic : List.of(Topics.VIOLATIONS, Topics.FINDINGS_OCSF, Topics.RETENTION, Topics.ROLLUPS_DAILY, Topics.DEAD_LETTER)) {
            outputs.put(topic.name(), driver.createOutputTopic(topic.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()));
            outputCounts.put(topic.name(), 0L);
        }
    }

    /**
     * Where the driver's RocksDB stores live: {@code -Dbench.state.parent}, else /dev/shm when present. The
     * driver commits and checkpoints after every record (a state-store flush per event, which a real
     * application does every commit interval at most); on a tmpfs that flush costs CPU but no disk sync.
     */
    static Path stateParent() {
        String configured = System.getProperty("bench.state.parent");
        if (configured != null) {
            return Path.of(configured);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Publishes the bundled catalog and the org policies, as an operator would before events flow. */
    public void publish(List<OrgPolicy> orgPolicies) {
        PolicyCatalog.load().entries().forEach(row -> catalog.pipeInput(PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
        orgPolicies.forEach(p -> policies.pipeInput(new TestRecord<>(p.getOrgId(), p, p.getEffectiveFrom())));
        drain();
    }

    /** The event in the wire format the producers write (Confluent framing, Avro binary). */
    public byte[] encode(UsageEvent event) {
        return eventSerializer.serialize(Topics.USAGE_EVENTS.name(), event);
    }

    /** One usage event through the whole topology. */
    public void pipe(String orgId, byte[] encodedEvent, Instant recordTime) {
        rawEvents.pipeInput(orgId, encodedEvent, recordTime);
    }

    /** Reads and drops every output record so far; returns how many there were. */
    public long drain() {
        long total = 0;
        for (var records : read().values()) {
            total += records.size();
        }
        return total;
    }

    /** Every output record since the last read, per output topic, in the order the topology wrote them (counted too). */
    public Map<String, List<TestRecord<byte[], byte[]>>> read() {
        Map<String, List<TestRecord<byte[], byte[]>>> read = new LinkedHashMap<>();
        for (var e : outputs.entrySet()) {
            List<TestRecord<byte[], byte[]>> records = e.getValue().readRecordsToList();
            outputCounts.merge(e.getKey(), (long) records.size(), Long::sum);
            read.put(e.getKey(), records);
        }
        return read;
    }

    /** Output records per topic since the start (after {@link #drain()}). */
    public Map<String, Long> outputCounts() {
        return outputCounts;
    }

    public Path stateDir() {
        return stateDir.path();
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistryClient.drop(scope);
        stateDir.close();
    }
}
