package dev.compliance.producers.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.claudecode.ClaudeCodeCli;
import dev.compliance.producers.claudecode.MessagesApiStub;
import dev.compliance.producers.otlp.OtlpOptions;
import dev.compliance.producers.otlp.OtlpReceiver;
import dev.compliance.producers.otlp.TokensFile;
import dev.compliance.producers.sink.DeadLetter;
import dev.compliance.producers.sink.Sinks;
import dev.compliance.topics.Topics;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code CLI (npm {@code @anthropic-ai/claude-code}, pinned in ops/install-claude-code.sh) against the
 * receiver and a real broker and registry: {@code claude -p} with an API key (no org, account or e-mail on its
 * records), a Messages API stub answering in streaming SSE with one call of an MCP tool on a local stdio MCP server,
 * telemetry exported over http/protobuf, http/json and grpc with the token header. Each run's prompt and MCP call
 * arrive as events of the token's org on compliance.usage-events; a record with no usable identity is counted on
 * /metrics and kept in compliance.dead-letter; no prompt, response, tool input or planted secret is in any topic.
 */
class RealClaudeCodeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org_cc_it";
    private static final String TOKEN = "cc-it-" + UUID.randomUUID();
    private static final String PROMPT =
            "Look up the account for card 4111 1111 1111 1111 (key AKIAQX7PLANTEDSECRT9) with the lookup_account tool";
    private static final String TOOL_INPUT = "{\"query\":\"card 4111 1111 1111 1111 for John Planted\"}";
    private static final String[] PLANTED = {"4111 1111 1111 1111", "AKIAQX7PLANTEDSECRT9", "John Planted",
            "STUBREPLY-7f3a", "Look up the account", "account found: status active", TOKEN};
    private static final List<String> PROTOCOLS = List.of("http/protobuf", "http/json", "grpc");

    private static ClaudeCodeCli claude;
    private static BrokerAndRegistry broker;

    @BeforeAll
    static void start() throws Exception {
        claude = ClaudeCodeCli.install(Path.of("target", "claude-code-it"));
        broker = BrokerAndRegistry.start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anApiKeyUsersTurnsArriveOverEveryProtocolAsEventsOfTheTokensOrgWithoutTheirText() throws Exception {
        Path tokens = Files.createTempFile("otlp-tokens", ".txt");
        Files.writeString(tokens, TokensFile.hash(TOKEN) + " " + ORG + "=ENTERPRISE:INTERNAL\n");
        Map<String, Object> clientConfig = broker.clientConfig();
        String metrics;
        try (RecordSink<UsageEvent> events = Sinks.usageEvents(clientConfig);
             RecordSink<DeadLetter> deadLetters = Sinks.deadLetters(clientConfig);
             OtlpReceiver receiver = new OtlpReceiver(OtlpOptions.defaults().withAddress("127.0.0.1", 0)
                     .withGrpcPort(0).withTokensFile(tokens), events, deadLetters);
             MessagesApiStub api = new MessagesApiStub("mcp__probe__lookup_account", TOOL_INPUT)) {
            int httpPort = receiver.start();
            for (String protocol : PROTOCOLS) {
                long before = receiver.eventsSent();
                int port = protocol.equals("grpc") ? receiver.grpcPort() : httpPort;
                String output = claude.run(protocol.replace('/', '-'), PROMPT, Map.ofEntries(
                        Map.entry("ANTHROPIC_BASE_URL", api.baseUrl()),
                        Map.entry("ANTHROPIC_API_KEY", "sk-ant-api03-it-" + UUID.randomUUID()),
                        Map.entry("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
                        Map.entry("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
                        Map.entry("OTEL_LOGS_EXPORTER", "otlp"),
                        Map.entry("OTEL_METRICS_EXPORTER", "otlp"),
                        Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", protocol),
                        Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port),
                        Map.entry("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer " + TOKEN),
                        Map.entry("OTEL_LOG_USER_PROMPTS", "1"),
                        Map.entry("OTEL_LOG_TOOL_DETAILS", "1"),
                        Map.entry("OTEL_LOGS_EXPORT_INTERVAL", "1000"),
                        Map.entry("OTEL_METRIC_EXPORT_INTERVAL", "1000")));
                assertThat(output).as("claude -p over %s", protocol).contains(MessagesApiStub.REPLY_TEXT);
                awaitEvents(receiver, before + 2, protocol);
            }
            assertThat(api.toolUses()).as("one MCP tool call per run").isEqualTo(PROTOCOLS.size());

            HttpClient http = HttpClient.newHttpClient();
            URI logs = URI.create("http://127.0.0.1:" + httpPort + "/v1/logs");
            byte[] noIdentity = recordWithoutIdentity().toByteArray();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(logs)
                    .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(noIdentity)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(200); // answered, with partial_success: never retried
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(logs)
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(noIdentity)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        assertThat(metrics).contains("compliance_otlp_log_records_refused_total{cause=\"no-identity\"} 1\n",
                        "compliance_otlp_requests_refused_total{cause=\"missing-token\"} 1\n",
                        "compliance_otlp_dead_letters_total 1\n")
                .containsPattern("compliance_otlp_requests_total\\{protocol=\"grpc\",signal=\"logs\"} [1-9]")
                .containsPattern("compliance_otlp_requests_total\\{protocol=\"grpc\",signal=\"metrics\"} [1-9]")
                .containsPattern("compliance_otlp_requests_total\\{protocol=\"http\",signal=\"metrics\"} [1-9]");

        Deserializer<UsageEvent> deserializer = Topics.USAGE_EVENTS.valueSerde(clientConfig).deserializer();
        List<UsageEvent> events = broker.readAll(Topics.USAGE_EVENTS.name()).stream()
                .map(r -> deserializer.deserialize(r.topic(), r.value())).toList();
        Map<String, List<UsageEvent>> bySession = events.stream()
                .collect(Collectors.groupingBy(UsageEvent::getSessionId));
        assertThat(bySession).as("one Claude Code session per protocol").hasSize(PROTOCOLS.size());
        for (List<UsageEvent> session : bySession.values()) {
            assertThat(session).extracting(UsageEvent::getFeature)
                    .containsExactlyInAnyOrder(Feature.CLAUDE_CODE, Feature.MCP_INTEGRATION);
            assertThat(session).allSatisfy(event -> {
                assertThat(event.getOrgId()).isEqualTo(ORG);
                assertThat(event.getUserId()).isEqualTo("unknown"); // an API-key user: a device, not a person
                assertThat(event.getDeviceId()).matches("[0-9a-f]{64}");
                assertThat(event.getPlan()).isEqualTo(Plan.ENTERPRISE);
                assertThat(event.getSource()).isEqualTo(EventSource.CLAUDE_CODE_OTEL);
                assertThat(event.getDataTags()).contains(DataTag.FINANCIAL);
                assertThat(event.getDataClass()).isGreaterThan(DataClass.INTERNAL);
            });
            UsageEvent prompt = session.stream().filter(e -> e.getFeature() == Feature.CLAUDE_CODE).findFirst().orElseThrow();
            assertThat(prompt.getDataTags()).contains(DataTag.CREDENTIALS);
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.readAll(Topics.DEAD_LETTER.name());
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(new String(record.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("otlp no-identity");
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(ORG);
            JsonNode value = JSON.readTree(record.value());
            assertThat(value.at("/attributes/session.id").asText()).isEqualTo("it-no-identity");
            assertThat(value.get("attributes").has("prompt")).isFalse();
        });
        broker.assertEveryTopicIsFreeOf(PLANTED);
        Files.delete(tokens);
    }

    /** Exporters send when their interval comes and again at exit; wait for the run's two events (3 min at most). */
    private static void awaitEvents(OtlpReceiver receiver, long expected, String protocol) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (receiver.eventsSent() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(receiver.eventsSent()).as("events sent after the %s run (%s)", protocol, receiver.summary())
                .isGreaterThanOrEqualTo(expected);
    }

    /** A user_prompt naming neither a person nor a device (not what Claude Code sends: what a stripped record is). */
    private static ExportLogsServiceRequest recordWithoutIdentity() {
        LogRecord record = LogRecord.newBuilder()
                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue("claude_code.user_prompt"))
                .addAttributes(KeyValue.newBuilder().setKey("session.id")
                        .setValue(AnyValue.newBuilder().setStringValue("it-no-identity")))
                .addAttributes(KeyValue.newBuilder().setKey("prompt")
                        .setValue(AnyValue.newBuilder().setStringValue(PROMPT)))
                .build();
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
    }
}
