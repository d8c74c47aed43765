package dev.compliance.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compliance run against the in-process broker, with the serde's in-memory registry. */
class StreamsRunnerIT {

    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://streams-runner-test");

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void runsThePipelineAndReportsHealthAndMetrics() throws Exception {
        RunSettings settings = RunSettings.resolve(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", "mock://streams-runner-test",
                "compliance.health.port", "0",
                "state.dir", stateDir.toString()), Optional.empty(), Map.of(
                "COMPLIANCE_PSEUDONYM_SECRET", "a-test-secret-of-enough-length"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

        StreamsRunner.Service service = StreamsRunner.startService(settings, out);
        try {
            assertThat(service.runner().awaitRunning(Duration.ofSeconds(120))).isTrue();
            assertThat(get(service, "/health").statusCode()).isEqualTo(200);

            produce(UsageEvent.newBuilder()
                    .setEventId("e-1").setEventTime(Instant.now()).setOrgId("org-runner").setUserId("u-1")
                    .setPlan(Plan.ENTERPRISE).setFeature(Feature.CHAT).setDataClass(DataClass.INTERNAL)
                    .setDataTags(List.of(DataTag.CREDENTIALS)).setAction(Action.USE)
                    .setSource(EventSource.MANUAL).build());

            assertThat(violationCodes(2)).contains(ViolationCode.CREDENTIALS_EXPOSED);
            assertThat(get(service, "/metrics").body()).contains("stream_thread_metrics_process_total{");
        } finally {
            service.close();
        }
        assertThat(service.runner().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(service.runner().failed()).isFalse();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("created topics compliance.usage-events")
                .contains("published the bundled policy catalog (")
                .contains("streams: REBALANCING -> RUNNING")
                .contains("compliance.pseudonym.secret = ******** (environment)");
    }

    private static void produce(UsageEvent event) {
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                Topics.USAGE_EVENTS.keySerde().serializer(), Topics.USAGE_EVENTS.valueSerde(SERDE).serializer())) {
            producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), event.getOrgId(), event));
        }
    }

    /** Reads violations (read_committed) until {@code atLeast} arrived or 60 seconds passed. */
    private static List<ViolationCode> violationCodes(int atLeast) {
        List<ViolationCode> codes = new ArrayList<>();
        try (KafkaConsumer<String, Violation> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "streams-runner-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.VIOLATIONS.keySerde().deserializer(), Topics.VIOLATIONS.valueSerde(SERDE).deserializer())) {
            consumer.subscribe(List.of(Topics.VIOLATIONS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (codes.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Violation> record : consumer.poll(Duration.ofMillis(500))) {
                    codes.add(record.value().getCode());
                }
            }
        }
        return codes;
    }

    private static HttpResponse<String> get(StreamsRunner.Service service, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + service.health().port() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
