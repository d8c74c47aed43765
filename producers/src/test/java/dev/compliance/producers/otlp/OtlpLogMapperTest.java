package dev.compliance.producers.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.PlantedText;
import dev.compliance.producers.Resources;
import dev.compliance.producers.classify.ContentClassifier;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpLogMapperTest {

    static final String ACME = "6d0f3b8e-2c1a-4f7d-8e59-a1b2c3d4e5f6";
    static final String CLINIC = "c0ffee00-1234-4abc-9def-0123456789ab";
    static final String[] PLANTED = {"AKIAQX7PLANTEDSECRT9", "PLANTEDSECRT", "patient.records@acme-health.example",
            "ghp_PLANTEDghTokenAbCdEfGhIjKlMnOpQrStUv01", "PLANTEDghToken", "John Planted", "00739184", "078-05-1120",
            "E11.9", "deploy with", "Summarize the chart"};

    static ExportLogsServiceRequest jsonPayload() throws Exception {
        return OtlpCodec.decodeLogs(Resources.bytes("otlp/claude-code-logs.json"), OtlpCodec.Encoding.JSON);
    }

    static ExportLogsServiceRequest protobufPayload() throws Exception {
        return OtlpCodec.decodeLogs(Resources.bytes("otlp/claude-code-logs.pb"), OtlpCodec.Encoding.PROTOBUF);
    }

    private static OtlpLogMapper mapper(OtlpOptions options) {
        return new OtlpLogMapper(options, new ContentClassifier());
    }

    @Test
    void mapsPromptsAndMcpToolResultsAndIgnoresTheRest() throws Exception {
        OtlpLogMapper.Result result = mapper(OtlpOptions.defaults()).map(jsonPayload());
        assertThat(result.records()).isEqualTo(7);
        assertThat(result.ignored()).isEqualTo(4); // api_request, tool_decision, Bash tool_result, api_error
        assertThat(result.rejected()).isEqualTo(1); // the prompt without organization.id
        assertThat(result.errorMessage()).isEqualTo("1 log record(s) rejected: "
                + "claude_code.user_prompt: no organization.id attribute, no token and no default org configured");
        assertThat(result.refusals()).singleElement().satisfies(r -> {
            assertThat(r.cause()).isEqualTo(Refusal.Cause.NO_ORG);
            assertThat(r.orgId()).isNull();
            assertThat(r.attributes()).containsEntry("user.id", "a3f9c1e0d2b4").doesNotContainKey("prompt");
        });
        assertThat(result.events()).hasSize(2);

        UsageEvent prompt = result.events().get(0);
        assertThat(prompt.getFeature()).isEqualTo(Feature.CLAUDE_CODE);
        assertThat(prompt.getOrgId()).isEqualTo(ACME);
        assertThat(prompt.getUserId()).isEqualTo("0e9d8c7b-6a5f-4e3d-2c1b-a09f8e7d6c5b");
        assertThat(prompt.getSessionId()).isEqualTo("4f1c2a9e-7b3d-4c55-9a0e-2d8f6b1e3c70");
        assertThat(prompt.getEventTime()).isEqualTo(Instant.parse("2026-03-02T09:00:00.123Z"));
        assertThat(prompt.getPlan()).isEqualTo(Plan.ENTERPRISE); // from compliance.plan, any case
        assertThat(prompt.getDataTags()).containsExactly(DataTag.PII, DataTag.CREDENTIALS);
        assertThat(prompt.getDataClass()).isEqualTo(DataClass.RESTRICTED);
        assertThat(prompt.getAction()).isEqualTo(Action.USE);
        assertThat(prompt.getSource()).isEqualTo(EventSource.CLAUDE_CODE_OTEL);
        assertThat(prompt.getRequestCount()).isNull();

        UsageEvent mcp = result.events().get(1);
        assertThat(mcp.getFeature()).isEqualTo(Feature.MCP_INTEGRATION);
        assertThat(mcp.getDataTags()).containsExactly(DataTag.CREDENTIALS);
        assertThat(mcp.getEventTime()).isEqualTo(Instant.parse("2026-03-02T09:00:09Z"));
    }

    @Test
    void theTextNeverReachesTheEventBytes() throws Exception {
        OtlpOptions options = OtlpOptions.defaults().withDefaults(Plan.API, DataClass.INTERNAL,
                Map.of(), "org-fallback").withApiRequestsCounted(true);
        var events = new java.util.ArrayList<UsageEvent>();
        events.addAll(mapper(options).map(jsonPayload()).events());
        events.addAll(mapper(options).map(protobufPayload()).events());
        assertThat(events).hasSize(7);
        PlantedText.assertAbsent(events, PLANTED);
    }

    @Test
    void recordsWithoutOrgGoToTheDefaultOrgWhenOneIsSet() throws Exception {
        OtlpOptions options = OtlpOptions.defaults().withDefaults(Plan.TEAM, DataClass.PUBLIC, Map.of(), "org-fallback");
        OtlpLogMapper.Result result = mapper(options).map(jsonPayload());
        assertThat(result.rejected()).isZero();
        assertThat(result.errorMessage()).isEmpty();
        UsageEvent fallback = result.events().get(2);
        assertThat(fallback.getOrgId()).isEqualTo("org-fallback");
        assertThat(fallback.getUserId()).isEqualTo("unknown"); // only the install hash: a device, not a person
        assertThat(fallback.getDeviceId()).isEqualTo("a3f9c1e0d2b4");
        assertThat(fallback.getPlan()).isEqualTo(Plan.TEAM);
        assertThat(fallback.getDataClass()).isEqualTo(DataClass.PUBLIC);
        assertThat(fallback.getDataTags()).isEmpty();
    }

    @Test
    void orgDefaultsApplyWhenTheTelemetryNamesNoPlan() throws Exception {
        OtlpOptions options = OtlpOptions.defaults().withDefaults(Plan.ENTERPRISE, DataClass.INTERNAL,
                Map.of(CLINIC, new OrgDefaults(Plan.API, DataClass.SENSITIVE)), null);
        OtlpLogMapper.Result result = mapper(options).map(protobufPayload());
        assertThat(result.rejected()).isZero();
        assertThat(result.ignored()).isEqualTo(1); // the api_request
        assertThat(result.events()).hasSize(2);
        UsageEvent prompt = result.events().get(0);
        assertThat(prompt.getPlan()).isEqualTo(Plan.API);
        assertThat(prompt.getDataTags()).containsExactly(DataTag.PII, DataTag.PHI);
        assertThat(prompt.getDataClass()).isEqualTo(DataClass.RESTRICTED); // a national id
        assertThat(prompt.getEventTime()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        UsageEvent mcp = result.events().get(1);
        assertThat(mcp.getFeature()).isEqualTo(Feature.MCP_INTEGRATION); // mcp_server_scope without mcp__ prefix
        assertThat(mcp.getDataClass()).isEqualTo(DataClass.SENSITIVE);
    }

    @Test
    void apiRequestsAreCountedWhenAsked() throws Exception {
        OtlpLogMapper.Result result = mapper(OtlpOptions.defaults().withApiRequestsCounted(true)).map(protobufPayload());
        assertThat(result.events()).extracting(UsageEvent::getRequestCount).containsExactly(null, 1L, null);
        assertThat(result.events().get(1).getFeature()).isEqualTo(Feature.CLAUDE_CODE);
    }

    @Test
    void eventIdsAreStableForTheSameRecordAndDistinctOtherwise() throws Exception {
        OtlpOptions options = OtlpOptions.defaults().withApiRequestsCounted(true);
        var first = mapper(options).map(jsonPayload()).events();
        var again = mapper(options).map(jsonPayload()).events();
        assertThat(again).extracting(UsageEvent::getEventId).isEqualTo(first.stream().map(UsageEvent::getEventId).toList());
        assertThat(first.stream().map(UsageEvent::getEventId).distinct()).hasSize(first.size());
        assertThat(first).allMatch(e -> e.getEventId().matches("otel-[0-9a-f]{32}"));
    }

    @Test
    void anUnknownPlanOrDataClassRejectsTheRecordWithAReason() {
        ExportLogsServiceRequest request = withResourceAttribute("compliance.plan", "platinum");
        OtlpLogMapper.Result result = mapper(OtlpOptions.defaults()).map(request);
        assertThat(result.rejected()).isEqualTo(2); // the prompt and the MCP tool result; ignored kinds are not judged
        assertThat(result.errorMessage()).startsWith("2 log record(s) rejected: ")
                .contains("claude_code.user_prompt: unknown compliance.plan 'platinum' (expected one of [FREE, PRO");
        OtlpLogMapper.Result badClass = mapper(OtlpOptions.defaults())
                .map(withResourceAttribute("compliance.data_class", "secret"));
        assertThat(badClass.errorMessage()).contains("unknown compliance.data_class 'secret'");
    }

    @Test
    void usesTheRecordTimeWhenEventTimestampIsMissing() {
        OtlpLogMapper.Result result = mapper(OtlpOptions.defaults()).map(oneRecord(
                promptOfOrg1().setObservedTimeUnixNano(1_772_445_600_500_000_000L)
                        .addAttributes(attribute("user.email", "dana@example.com"))));
        assertThat(result.events()).singleElement()
                .satisfies(e -> assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-03-02T10:00:00.500Z")))
                .satisfies(e -> assertThat(e.getUserId()).isEqualTo("dana@example.com"))
                .satisfies(e -> assertThat(e.getDeviceId()).isNull());
    }

    @Test
    void aRecordNamingNeitherPersonNorDeviceIsRefused() {
        OtlpLogMapper.Result result = mapper(OtlpOptions.defaults()).map(oneRecord(
                promptOfOrg1().setTimeUnixNano(1_772_445_600_500_000_000L)
                        .addAttributes(attribute("prompt", "Summarize the chart"))));
        assertThat(result.events()).isEmpty();
        assertThat(result.refusals()).singleElement().satisfies(r -> {
            assertThat(r.cause()).isEqualTo(Refusal.Cause.NO_IDENTITY);
            assertThat(r.orgId()).isEqualTo("org-1");
            assertThat(r.attributes()).containsOnlyKeys("organization.id");
        });
    }

    private static ExportLogsServiceRequest withResourceAttribute(String key, String value) {
        try {
            ExportLogsServiceRequest.Builder builder = jsonPayload().toBuilder();
            builder.getResourceLogsBuilder(0).getResourceBuilder().addAttributes(attribute(key, value));
            builder.removeResourceLogs(1);
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LogRecord.Builder promptOfOrg1() {
        return LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("claude_code.user_prompt"))
                .addAttributes(attribute("organization.id", "org-1"));
    }

    static ExportLogsServiceRequest oneRecord(LogRecord.Builder record) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
    }

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
