package dev.compliance.producers.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.PlantedText;
import dev.compliance.producers.Resources;
import dev.compliance.producers.sink.DeadLetter;
import dev.compliance.producers.sink.MemorySink;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver with a tokens file, over OTLP/HTTP and OTLP/gRPC, fed the payloads recorded from the real Claude Code
 * 2.1.197 (an API-key user: only the install hash and the session id on each record).
 */
class OtlpAuthenticatedReceiverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "cc-test-token-1";
    private final HttpClient http = HttpClient.newHttpClient();
    private final MemorySink<UsageEvent> events = new MemorySink<>();
    private final MemorySink<DeadLetter> deadLetters = new MemorySink<>();
    private OtlpReceiver receiver;
    private int port;
    private ManagedChannel channel;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, TokensFile.hash(TOKEN) + " org_acme=ENTERPRISE:INTERNAL\n");
        receiver = new OtlpReceiver(OtlpOptions.defaults().withAddress("127.0.0.1", 0).withGrpcPort(0)
                .withTokensFile(tokens), events, deadLetters);
        port = receiver.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", receiver.grpcPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        receiver.close();
    }

    private HttpResponse<byte[]> post(String path, String contentType, String token, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void anApiKeyUsersPromptBecomesAnEventOfTheTokensOrg() throws Exception {
        HttpResponse<byte[]> response = post("/v1/logs", "application/x-protobuf", TOKEN,
                Resources.bytes(RealClaudeCodePayloadTest.DIR + "logs.pb"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
        assertThat(events.records()).extracting(UsageEvent::getFeature)
                .containsExactly(Feature.CLAUDE_CODE, Feature.MCP_INTEGRATION);
        UsageEvent prompt = events.records().get(0);
        assertThat(prompt.getOrgId()).isEqualTo("org_acme");
        assertThat(prompt.getPlan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(prompt.getDeviceId()).matches("[0-9a-f]{64}");
        assertThat(prompt.getDataTags()).contains(DataTag.FINANCIAL);
        PlantedText.assertAbsent(events.records(), RealClaudeCodePayloadTest.PLANTED);
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void aMissingOrUnknownTokenIs401AndCounted() throws Exception {
        byte[] body = Resources.bytes(RealClaudeCodePayloadTest.DIR + "logs.json");
        HttpResponse<byte[]> missing = post("/v1/logs", "application/json", null, body);
        HttpResponse<byte[]> unknown = post("/v1/logs", "application/json", "cc-guessed", body);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(missing.body()).get("code").asInt()).isEqualTo(16); // UNAUTHENTICATED
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(post("/v1/metrics", "application/json", null, "{}".getBytes()).statusCode()).isEqualTo(401);
        assertThat(events.records()).isEmpty();
        assertThat(metrics()).contains("compliance_otlp_requests_refused_total{cause=\"missing-token\"} 2\n",
                "compliance_otlp_requests_refused_total{cause=\"unknown-token\"} 1\n");
    }

    @Test
    void aRecordWithoutIdentityIsCountedAnsweredAndDeadLetteredWithoutItsText() throws Exception {
        var request = OtlpLogMapperTest.oneRecord(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setTimeUnixNano(1_772_445_600_000_000_000L)
                .setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("claude_code.user_prompt"))
                .addAttributes(OtlpLogMapperTest.attribute("session.id", "s-1"))
                .addAttributes(OtlpLogMapperTest.attribute("prompt", "card 4111 1111 1111 1111")));

        HttpResponse<byte[]> response = post("/v1/logs", "application/x-protobuf", TOKEN, request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        var partial = ExportLogsServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedLogRecords()).isEqualTo(1);
        assertThat(partial.getErrorMessage()).contains("no user.account_uuid, user.email or user.id");
        DeadLetter letter = deadLetters.records().get(0);
        assertThat(letter.key()).isEqualTo("org_acme");
        assertThat(letter.reason()).isEqualTo("otlp no-identity");
        assertThat(letter.stage()).isEqualTo("otlp-receiver");
        JsonNode value = JSON.readTree(letter.value());
        assertThat(value.get("cause").asText()).isEqualTo("no-identity");
        assertThat(value.at("/attributes/session.id").asText()).isEqualTo("s-1");
        assertThat(value.get("fix").asText()).contains("user.id");
        PlantedText.assertAbsent(letter.value(), "4111");
        assertThat(metrics()).contains("compliance_otlp_log_records_refused_total{cause=\"no-identity\"} 1\n",
                "compliance_otlp_log_records_refused_total{cause=\"no-org\"} 0\n", "compliance_otlp_dead_letters_total 1\n");
    }

    @Test
    void metricsAreDecodedAndTheirPointsCounted() throws Exception {
        byte[] recorded = Resources.bytes(RealClaudeCodePayloadTest.DIR + "metrics.pb");
        long points = ExportMetricsServiceRequest.parseFrom(recorded).getResourceMetricsList().stream()
                .flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
                .mapToLong(m -> m.getSum().getDataPointsCount()).sum();
        assertThat(points).isPositive();

        assertThat(post("/v1/metrics", "application/x-protobuf", TOKEN, recorded).statusCode()).isEqualTo(200);
        assertThat(post("/v1/metrics", "application/json", TOKEN,
                Resources.bytes(RealClaudeCodePayloadTest.DIR + "metrics.json")).statusCode()).isEqualTo(200);

        assertThat(metrics()).contains("compliance_otlp_requests_total{protocol=\"http\",signal=\"metrics\"} 2\n")
                .containsPattern("compliance_otlp_metric_points_total [1-9]\\d*\n");
    }

    @Test
    void grpcMapsTheSameWayWithGzipAndRefusesAMissingToken() throws Exception {
        var request = RealClaudeCodePayloadTest.logs("logs.pb", OtlpCodec.Encoding.PROTOBUF);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
        var authenticated = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));

        ExportLogsServiceResponse response = LogsServiceGrpc.newBlockingStub(authenticated).withCompression("gzip")
                .export(request);
        MetricsServiceGrpc.newBlockingStub(authenticated)
                .export(ExportMetricsServiceRequest.parseFrom(Resources.bytes(RealClaudeCodePayloadTest.DIR + "metrics.pb")));

        assertThat(response.hasPartialSuccess()).isFalse();
        assertThat(events.records()).extracting(UsageEvent::getOrgId).containsExactly("org_acme", "org_acme");
        assertThatThrownBy(() -> LogsServiceGrpc.newBlockingStub(channel).export(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(events.records()).hasSize(2);
        assertThat(metrics()).contains("compliance_otlp_requests_total{protocol=\"grpc\",signal=\"logs\"} 1\n",
                "compliance_otlp_requests_total{protocol=\"grpc\",signal=\"metrics\"} 1\n",
                "compliance_otlp_requests_refused_total{cause=\"missing-token\"} 1\n");
    }

    @Test
    void aRecordClaimingAnotherOrgIsRefusedOverGrpcToo() throws Exception {
        var request = RealClaudeCodePayloadTest.logs("logs.pb", OtlpCodec.Encoding.PROTOBUF).toBuilder();
        request.getResourceLogsBuilder(0).getResourceBuilder()
                .addAttributes(OtlpLogMapperTest.attribute("organization.id", "org_victim"));
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);

        ExportLogsServiceResponse response = LogsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).export(request.build());

        assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
        assertThat(events.records()).isEmpty();
        assertThat(deadLetters.records()).extracting(DeadLetter::reason).containsOnly("otlp org-mismatch");
        for (DeadLetter letter : deadLetters.records()) {
            PlantedText.assertAbsent(letter.value(), RealClaudeCodePayloadTest.PLANTED);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).contains("org_victim");
        }
        assertThat(metrics()).contains("compliance_otlp_log_records_refused_total{cause=\"org-mismatch\"} 2\n");
    }
}
