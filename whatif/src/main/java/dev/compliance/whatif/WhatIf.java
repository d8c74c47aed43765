package dev.compliance.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.serde.InMemorySchemaRegistryClient;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.ComplianceTopology;
import dev.compliance.streams.DeadLetters;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.streams.catalog.CatalogFacts;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Policy what-if: runs org policies and usage events from JSON Lines files through the very same
 * topology, in a TopologyTestDriver (no broker), and prints one verdict line per event, in input order.
 * Malformed lines are reported with file, line number and reason; the rest is still evaluated.
 */
public final class WhatIf {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A line that could not be evaluated. */
    public record Problem(String file, int line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    /** What the run printed and what it refused. */
    public record Result(List<String> verdicts, List<Problem> problems) {
    }

    private WhatIf() {
    }

    public static Result run(Path orgs, Path events, PolicyCatalog catalog, PrintStream out) throws IOException {
        return run(orgs, events, catalog, false, out);
    }

    /**
     * Evaluates and prints. With {@code explain}, each verdict also carries the retention row, its
     * citations, the local-transcript expiry (CLAUDE_CODE), what may be kept beyond the content with no
     * date (the catalog's [metadata-holds]) and each violation's explanation.
     */
    public static Result run(Path orgs, Path events, PolicyCatalog catalog, boolean explain, PrintStream out) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<OrgRecord> policies = WhatIf.<OrgPolicy>readNumbered(orgs, OrgPolicy.getClassSchema(), problems).stream()
                .map(n -> new OrgRecord(n.record().getOrgId(), n.record().getEffectiveFrom(), n.record(), n.line())).toList();
        return run(orgs, policies, events, catalog, explain, out, problems);
    }

    /**
     * One record of the org-policy topic, at its line of the file: a version (at its effectiveFrom) or,
     * with a null policy, a retirement at {@code at} (a policy file's {@code retiredFrom}).
     */
    public record OrgRecord(String orgId, Instant at, OrgPolicy policy, int line) {
    }

    /** Evaluates with org-policy records already read from {@code orgsFile} (a policy file). */
    public static Result run(Path orgsFile, List<OrgRecord> orgs, Path events, PolicyCatalog catalog, boolean explain,
                             PrintStream out) throws IOException {
        return run(orgsFile, orgs, events, catalog, explain, out, new ArrayList<>());
    }

    private static Result run(Path orgs, List<OrgRecord> policies, Path events, PolicyCatalog catalog, boolean explain,
                              PrintStream out, List<Problem> problems) throws IOException {
        List<Numbered<UsageEvent>> usage = readNumbered(events, UsageEvent.getClassSchema(), problems);

        String scope = "evaluate-" + UUID.randomUUID();
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "mock://" + scope);
        config.put(ComplianceConfig.PSEUDONYM_SECRET, "evaluate-only-not-a-secret");
        var props = ComplianceApp.streamsProperties("evaluate:9092", config);
        List<String> verdicts = new ArrayList<>();
        // a state directory of its own: two evaluate runs at once must not share RocksDB's lock
        try (PrivateStateDir stateDir = PrivateStateDir.create("compliance-evaluate-")) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            judge(config, props, catalog, new Inputs(orgs, policies, events, usage), explain, out, verdicts, problems);
        } finally {
            InMemorySchemaRegistryClient.drop(scope);
        }
        return new Result(verdicts, problems);
    }

    /** The two files and the records read from them, with their line numbers. */
    private record Inputs(Path orgs, List<OrgRecord> policies, Path events, List<Numbered<UsageEvent>> usage) {
    }

    private static void judge(Map<String, Object> config, java.util.Properties props, PolicyCatalog catalog, Inputs in,
                              boolean explain, PrintStream out, List<String> verdicts, List<Problem> problems) {
        try (TopologyTestDriver driver = new TopologyTestDriver(ComplianceTopology.build(config), props, Instant.EPOCH)) {
            TestInputTopic<String, CatalogEntry> catalogIn = driver.createInputTopic(Topics.CATALOG.name(),
                    Serdes.String().serializer(), Topics.CATALOG.valueSerde(config).serializer());
            catalog.entries().forEach(row -> catalogIn.pipeInput(PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
            TestInputTopic<String, OrgPolicy> policyIn = driver.createInputTopic(Topics.ORG_POLICIES.name(),
                    Serdes.String().serializer(), Topics.ORG_POLICIES.valueSerde(config).serializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            for (OrgRecord n : in.policies()) {
                policyIn.pipeInput(new TestRecord<>(n.orgId(), n.policy(), n.at()));
                // refused before the policy history (POLICY.md ranges): the file's line says why
                deadLetters.readRecordsToList().forEach(dead -> problems.add(
                        new Problem(in.orgs().toString(), n.line(), DeadLetters.header(dead.headers(), DeadLetters.REASON))));
            }

            TestInputTopic<String, UsageEvent> eventsIn = driver.createInputTopic(Topics.USAGE_EVENTS.name(),
                    Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(config).serializer());
            TestOutputTopic<String, Violation> violations = driver.createOutputTopic(Topics.VIOLATIONS.name(),
                    Serdes.String().deserializer(), Topics.VIOLATIONS.valueSerde(config).deserializer());
            TestOutputTopic<String, RetentionEvent> retention = driver.createOutputTopic(Topics.RETENTION.name(),
                    Serdes.String().deserializer(), Topics.RETENTION.valueSerde(config).deserializer());

            for (Numbered<UsageEvent> n : in.usage()) {
                UsageEvent e = n.record();
                eventsIn.pipeInput(new TestRecord<>(e.getOrgId(), e, e.getEventTime()));
                var dead = deadLetters.readRecordsToList();
                if (!dead.isEmpty()) {
                    problems.add(new Problem(in.events().toString(), n.line(), DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)));
                    continue;
                }
                List<Violation> raised = violations.readValuesToList();
                RetentionEvent scheduled = retention.readValuesToList().stream()
                        .filter(r -> r.getType() == RetentionEventType.SCHEDULED).findFirst().orElse(null);
                String line = verdict(e, raised, scheduled, explain ? catalog.metadataHolds() : null);
                verdicts.add(line);
                out.println(line);
            }
        }
    }

    /**
     * One verdict line. {@code metadataHolds} is null without --explain; with it, the line also carries what
     * the vendor may keep beyond the content (trust and safety scores, 7 years, seed 003), with no date.
     */
    static String verdict(UsageEvent e, List<Violation> raised, RetentionEvent r, List<CatalogFacts.MetadataHold> metadataHolds) {
        boolean explain = metadataHolds != null;
        ObjectNode line = JSON.createObjectNode();
        line.put("eventId", e.getEventId());
        var codes = line.putArray("violations");
        raised.forEach(v -> codes.add(v.getCode().name()));
        if (r == null) {
            line.putNull("retention");
        } else {
            ObjectNode ret = line.putObject("retention");
            ret.put("kind", r.getKind().name());
            if (r.getDays() == null) {
                ret.putNull("days");
            } else {
                ret.put("days", r.getDays());
            }
            putInstant(ret, "expiresAt", r.getExpiresAt());
            putInstant(ret, "worstCaseExpiresAt", r.getWorstCaseExpiresAt());
            if (explain) {
                if (r.getLocalTranscriptExpiresAt() != null) {
                    putInstant(ret, "localTranscriptExpiresAt", r.getLocalTranscriptExpiresAt());
                }
                ret.put("row", r.getRetentionRow());
                var cites = ret.putArray("citations");
                r.getCitations().forEach(cites::add);
            }
        }
        if (explain) {
            var kept = line.putArray("alsoKept");
            metadataHolds.forEach(h -> kept.add(h.sentence()));
            var why = line.putArray("explanations");
            raised.forEach(v -> why.add(v.getCode() + " (" + v.getSeverity() + "): " + v.getMessage()));
        }
        return line.toString();
    }

    private static void putInstant(ObjectNode node, String name, Instant t) {
        if (t == null) {
            node.putNull(name);
        } else {
            node.put(name, t.toString());
        }
    }

    private record Numbered<T>(int line, T record) {
    }

    private static <T extends org.apache.avro.specific.SpecificRecordBase> List<Numbered<T>> readNumbered(
            Path file, org.apache.avro.Schema schema, List<Problem> problems) throws IOException {
        List<Numbered<T>> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("//")) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(text);
                out.add(new Numbered<>(i + 1, JsonRecords.<T>read(node, schema)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add(new Problem(file.toString(), i + 1, "not valid JSON: " + e.getOriginalMessage()));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(file.toString(), i + 1, e.getMessage()));
            }
        }
        return out;
    }
}
