package dev.compliance.proofs;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceTopology;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The expected outputs: the same topology with the same settings, in a TopologyTestDriver, fed the
 * same catalog, policies and input records, one at a time, with no failure. What the real run must
 * match, record for record.
 */
final class Oracle {

    private Oracle() {
    }

    /** Runs in a state directory of its own under {@code stateParent}, removed when done. */
    static Outputs expected(Map<String, Object> settings, List<OrgPolicy> policies, List<Input.Sent> input, Path stateParent) {
        Properties props = ComplianceApp.streamsProperties("oracle:9092", settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "proofs-oracle");
        // the test driver has no transactions to make exactly-once: it processes each record once, in order,
        // under either guarantee; at_least_once spares it a commit per record
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        Outputs expected = new Outputs(settings);
        try (PrivateStateDir stateDir = PrivateStateDir.create(stateParent, "oracle-state-")) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            replay(settings, props, policies, input, expected);
        }
        return expected;
    }

    private static void replay(Map<String, Object> settings, Properties props, List<OrgPolicy> policies,
                               List<Input.Sent> input, Outputs expected) {
        try (TopologyTestDriver driver = new TopologyTestDriver(ComplianceTopology.build(settings), props, Instant.now())) {
            var catalog = driver.createInputTopic(Topics.CATALOG.name(), Serdes.String().serializer(),
                    Topics.CATALOG.valueSerde(settings).serializer());
            PolicyCatalog.load().entries().forEach(row -> catalog.pipeInput(PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
            var orgPolicies = driver.createInputTopic(Topics.ORG_POLICIES.name(), Serdes.String().serializer(),
                    Topics.ORG_POLICIES.valueSerde(settings).serializer());
            policies.forEach(p -> orgPolicies.pipeInput(new TestRecord<>(p.getOrgId(), p, p.getEffectiveFrom())));
            TestInputTopic<String, byte[]> events = driver.createInputTopic(Topics.USAGE_EVENTS.name(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            for (Input.Sent s : input) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(Input.ID_HEADER, s.id().getBytes(StandardCharsets.UTF_8));
                events.pipeInput(new TestRecord<>(s.key(), s.value(), headers, Instant.ofEpochMilli(s.timestamp())));
            }
            for (String topic : Outputs.ALL_TOPICS) {
                driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                        .readRecordsToList()
                        .forEach(r -> expected.add(topic, r.key(), r.value(), r.headers()));
            }
        }
    }
}
