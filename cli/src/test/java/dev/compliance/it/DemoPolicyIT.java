package dev.compliance.it;

import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/policy.md's walk-through on the demo's own broker: `./compliance demo` runs (the command jar, as a
 * process), it prints the `policy apply` command for its broker and registry, that very command
 * applies examples/policies.yaml, `policy show --at` reads it back, and the demo's pipeline judges
 * events of those orgs by the applied history. The demo is then stopped with SIGTERM.
 */
class DemoPolicyIT {

    private static final Pattern APPLY = Pattern.compile("(\\./compliance policy apply examples/policies\\.yaml --bootstrap-servers (\\S+) --schema-registry-url (\\S+))");

    @Test
    void aPolicyFileAppliedToTheRunningDemoIsWhatItsPipelineJudgesBy() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ShippedCommandsIT.JAR.toString(), "demo", "--rate", "20");
        Process demo = new ProcessBuilder(command).directory(ShippedCommandsIT.REPO.toFile()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(output::add);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            PipelineContainers.await("the demo to print the policy apply command and run Kafka Streams", Duration.ofMinutes(5),
                    () -> output.stream().anyMatch(l -> APPLY.matcher(l).find()) && output.stream().anyMatch(l -> l.contains("streams    running"))
                            || !demo.isAlive());
            assertThat(demo.isAlive()).as("demo output: %s", output).isTrue();
            Matcher m = output.stream().map(APPLY::matcher).filter(Matcher::find).findFirst().orElseThrow();
            String bootstrap = m.group(2);
            String registry = m.group(3);

            String[] apply = m.group(1).replaceFirst("^\\./compliance ", "").split(" ");
            ShippedCommandsIT.Run applied = ShippedCommandsIT.run(apply);
            assertThat(applied.exit()).as(applied.err()).isZero();
            assertThat(applied.out()).contains("published 8 record(s) to compliance.org-policies in one transaction");
            ShippedCommandsIT.Run shown = ShippedCommandsIT.run("policy", "show", "--org", "acme", "--at", "2026-07-01T00:00:00Z",
                    "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
            assertThat(shown.out()).contains("in force at 2026-07-01T00:00:00Z: the version from 2026-06-01T00:00:00Z");

            Map<String, Object> serde = Map.of("schema.registry.url", registry);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    Serdes.String().serializer(), Topics.USAGE_EVENTS.valueSerde(serde).serializer())) {
                for (UsageEvent e : List.of(PolicyWorkflowIT.event("demo-bedrock-may", "acme", "2026-05-01T12:00:00Z", Plan.BEDROCK),
                        PolicyWorkflowIT.event("demo-bedrock-july", "acme", "2026-07-01T12:00:00Z", Plan.BEDROCK),
                        PolicyWorkflowIT.event("demo-initech-october", "initech", "2026-10-01T12:00:00Z", Plan.TEAM))) {
                    producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, e.getEventTime().toEpochMilli(), e.getOrgId(), e)).get();
                }
            }
            Map<String, Set<ViolationCode>> codes = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "demo-policy-it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (var consumer = new KafkaConsumer<>(props, Serdes.String().deserializer(), Topics.VIOLATIONS.valueSerde(serde).deserializer())) {
                consumer.subscribe(List.of(Topics.VIOLATIONS.name()));
                PipelineContainers.await("the demo's pipeline to judge the three events", Duration.ofMinutes(3), () -> {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        Violation v = r.value();
                        if (v.getEventId().startsWith("demo-")) {
                            codes.computeIfAbsent(v.getEventId(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(v.getCode());
                        }
                    }
                    return codes.containsKey("demo-bedrock-may") && codes.containsKey("demo-initech-october");
                });
            }
            assertThat(codes.get("demo-bedrock-may")).as("January's version: Bedrock not approved").contains(ViolationCode.PLAN_NOT_ALLOWED);
            assertThat(codes.getOrDefault("demo-bedrock-july", Set.of())).as("June's version approves Bedrock")
                    .doesNotContain(ViolationCode.PLAN_NOT_ALLOWED, ViolationCode.UNKNOWN_ORG);
            assertThat(codes.get("demo-initech-october")).as("retired in September").contains(ViolationCode.UNKNOWN_ORG);
        } finally {
            demo.destroy(); // SIGTERM, as Ctrl-C: the demo prints its summary and cleans up
            if (!demo.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
                demo.destroyForcibly();
            }
            reader.join(10_000);
        }
        assertThat(demo.isAlive()).as("the demo stopped on SIGTERM").isFalse();
    }
}
