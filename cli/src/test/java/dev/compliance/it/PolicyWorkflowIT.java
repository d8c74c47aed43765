package dev.compliance.it;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.kafka.KafkaContainer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.compliance.it.ShippedCommandsIT.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy workflow as a security team runs it, with the command jar against a real broker and
 * registry: `policy diff`, `apply` (twice: the second publishes nothing), `show --at`, `list`, then the
 * pipeline judges events against the history the file described — a version from June on, a
 * retirement from September on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyWorkflowIT {

    static final String FILE = "examples/policies.yaml";
    static KafkaContainer broker;
    static String[] cluster;

    @BeforeAll
    static void startBroker() {
        broker = PipelineContainers.newBroker();
        cluster = new String[]{"--bootstrap-servers", broker.getBootstrapServers(), "--schema-registry-url", PipelineContainers.registryUrl()};
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    static ShippedCommandsIT.Run policy(String... args) throws Exception {
        String[] all = new String[args.length + cluster.length + 1];
        all[0] = "policy";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(cluster, 0, all, 1 + args.length, cluster.length);
        return run(all);
    }

    @Test
    @Order(1)
    void diffAgainstAnEmptyTopicListsEveryEntryAsNew() throws Exception {
        assertThat(run("topics", "--bootstrap-servers", broker.getBootstrapServers()).exit()).isZero();
        ShippedCommandsIT.Run diff = policy("diff", FILE);
        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("+ initech").contains("retired from this time on")
                .contains("policy diff: 8 new, 0 corrected, 0 unchanged, 0 only on the topic (kept)");
    }

    @Test
    @Order(2)
    void applyPublishesTheDifferenceOnceAndTheSecondApplyNothing() throws Exception {
        ShippedCommandsIT.Run dry = policy("apply", FILE, "--dry-run");
        assertThat(dry.out()).contains("dry run: nothing published (8 record(s) would be)");
        ShippedCommandsIT.Run first = policy("apply", FILE);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("published 8 record(s) to compliance.org-policies in one transaction");
        ShippedCommandsIT.Run second = policy("apply", FILE);
        assertThat(second.out()).contains("policy diff: 0 new, 0 corrected, 8 unchanged")
                .contains("nothing to apply");
    }

    @Test
    @Order(3)
    void showAtATimeMarksTheVersionInForce() throws Exception {
        ShippedCommandsIT.Run may = policy("show", "--org", "acme", "--at", "2026-05-01T00:00:00Z");
        assertThat(may.exit()).as(may.err()).isZero();
        assertThat(may.out().lines().toList()).containsExactly(
                "* 2026-01-01T00:00:00Z  zdrEnabled=true baaSigned=true developmentPartnerProgram=false allowedPlans=[ENTERPRISE, API] customRetentionDays=null localTranscriptDays=30 classificationProfile=STANDARD foundryAbuseMonitoringOptOut=false",
                "  2026-06-01T00:00:00Z  zdrEnabled=true baaSigned=true developmentPartnerProgram=false allowedPlans=[ENTERPRISE, API, BEDROCK] customRetentionDays=90 localTranscriptDays=14 classificationProfile=STANDARD foundryAbuseMonitoringOptOut=false",
                "in force at 2026-05-01T00:00:00Z: the version from 2026-01-01T00:00:00Z");
        ShippedCommandsIT.Run retired = policy("show", "--org", "initech", "--at", "2026-10-01T00:00:00Z");
        assertThat(retired.out()).contains("retired (events from here on raise UNKNOWN_ORG)")
                .contains("in force at 2026-10-01T00:00:00Z: none (events then raise UNKNOWN_ORG)");
        ShippedCommandsIT.Run list = policy("list", "--at", "2026-10-01T00:00:00Z");
        assertThat(list.out().lines().map(l -> l.split(" +")[0]).toList()).containsExactly("acme", "globex", "hooli", "initech", "umbrella");
        assertThat(list.out()).contains("no version in force");
        ShippedCommandsIT.Run unknown = policy("show", "--org", "nobody");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("compliance policy show: org 'nobody' has no entry on compliance.org-policies (see `compliance policy list`)");
    }

    @Test
    @Order(4)
    void thePipelineJudgesEventsByTheAppliedHistory() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline(broker.getBootstrapServers(), PipelineContainers.registryUrl())) {
            try (var producer = pipeline.producer(Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(pipeline.config).serializer())) {
                for (UsageEvent e : List.of(
                        event("bedrock-in-may", "acme", "2026-05-01T12:00:00Z", Plan.BEDROCK),   // January's version: Bedrock not approved
                        event("bedrock-in-july", "acme", "2026-07-01T12:00:00Z", Plan.BEDROCK),  // June's version approves it
                        event("initech-in-may", "initech", "2026-05-01T12:00:00Z", Plan.TEAM),
                        event("initech-in-october", "initech", "2026-10-01T12:00:00Z", Plan.TEAM))) { // retired in September
                    producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, e.getEventTime().toEpochMilli(), e.getOrgId(), e));
                }
            }
            List<ConsumerRecord<String, Violation>> read = pipeline.readUntil(Topics.VIOLATIONS.name(), Serdes.String().deserializer(),
                    Topics.VIOLATIONS.valueSerde(pipeline.config).deserializer(),
                    r -> r.stream().anyMatch(v -> v.value().getEventId().equals("initech-in-october")));
            Map<String, Set<ViolationCode>> codes = read.stream().collect(Collectors.groupingBy(r -> r.value().getEventId(),
                    Collectors.mapping(r -> r.value().getCode(), Collectors.toSet())));
            assertThat(codes.get("bedrock-in-may")).contains(ViolationCode.PLAN_NOT_ALLOWED);
            assertThat(codes.getOrDefault("bedrock-in-july", Set.of())).doesNotContain(ViolationCode.PLAN_NOT_ALLOWED, ViolationCode.UNKNOWN_ORG);
            assertThat(codes.getOrDefault("initech-in-may", Set.of())).doesNotContain(ViolationCode.UNKNOWN_ORG);
            assertThat(codes.get("initech-in-october")).contains(ViolationCode.UNKNOWN_ORG);
        }
    }

    @Test
    @Order(5)
    void aCatalogEditIsADiffAndAPublishNotARebuild() throws Exception {
        java.nio.file.Path edited = java.nio.file.Files.createTempFile("catalog", ".txt");
        try {
            String bundled = java.nio.file.Files.readString(ShippedCommandsIT.REPO.resolve("streams-app/src/main/resources/catalog/policy-catalog.txt"));
            java.nio.file.Files.writeString(edited, bundled + "# reviewed 2026-12-03\n");
            String[] where = {"--bootstrap-servers", broker.getBootstrapServers(), "--schema-registry-url", PipelineContainers.registryUrl()};
            ShippedCommandsIT.Run diff = run(concat(new String[]{"catalog", "diff", "--file", edited.toString()}, where));
            assertThat(diff.exit()).as(diff.err()).isZero();
            assertThat(diff.out()).contains("~ API/MESSAGES_API: catalogVersion ").contains(", 135 row(s) differ");
            ShippedCommandsIT.Run publish = run(concat(new String[]{"catalog", "publish", "--file", edited.toString()}, where));
            assertThat(publish.out()).containsPattern("published catalog \\S+ \\(135 rows, 135 changed\\) to compliance.catalog in one transaction");
            ShippedCommandsIT.Run again = run(concat(new String[]{"catalog", "diff", "--file", edited.toString()}, where));
            assertThat(again.out()).contains(", 0 row(s) differ");
        } finally {
            java.nio.file.Files.delete(edited);
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static UsageEvent event(String id, String org, String time, Plan plan) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(Instant.parse(time)).setOrgId(org).setUserId("u-1")
                .setPlan(plan).setFeature(plan == Plan.TEAM ? Feature.CHAT : Feature.MESSAGES_API)
                .setDataClass(DataClass.PUBLIC).setSource(EventSource.MANUAL).build();
    }
}
