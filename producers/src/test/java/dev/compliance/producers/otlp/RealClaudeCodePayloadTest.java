package dev.compliance.producers.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.PlantedText;
import dev.compliance.producers.Resources;
import dev.compliance.producers.classify.ContentClassifier;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the real Claude Code CLI 2.1.197 sends, from payloads recorded off a real {@code claude -p} run (see
 * src/test/resources/otlp/claude-code-2.1.197/README.md): an API-key user, one prompt with a card number and a
 * planted AWS key, one MCP tool call, OTEL_LOG_USER_PROMPTS=1 and OTEL_LOG_TOOL_DETAILS=1.
 */
class RealClaudeCodePayloadTest {

    static final String DIR = "otlp/claude-code-2.1.197/";

    /** The install hash user.id every record of a recording carries (each recording has its own). */
    static String installHash(ExportLogsServiceRequest request) {
        return records(request).stream().map(r -> r.get("user.id")).distinct().reduce((a, b) -> {
            throw new AssertionError("more than one user.id in one recording: " + a + ", " + b);
        }).orElseThrow();
    }
    static final String[] PLANTED = {"4111 1111 1111 1111", "AKIAQX7PLANTEDSECRT9", "John Planted", "STUBREPLY-7f3a",
            "Look up the account"};

    static ExportLogsServiceRequest logs(String file, OtlpCodec.Encoding encoding) throws Exception {
        return OtlpCodec.decodeLogs(Resources.bytes(DIR + file), encoding);
    }

    static List<Map<String, String>> records(ExportLogsServiceRequest request) {
        return request.getResourceLogsList().stream()
                .flatMap(r -> r.getScopeLogsList().stream())
                .flatMap(s -> s.getLogRecordsList().stream())
                .map(RealClaudeCodePayloadTest::attributes)
                .toList();
    }

    private static Map<String, String> attributes(LogRecord record) {
        Map<String, String> map = new HashMap<>();
        record.getAttributesList().forEach(kv -> map.put(kv.getKey(), kv.getValue().getStringValue()));
        map.put("body", record.getBody().getStringValue());
        return map;
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void anApiKeyUserIsNamedOnlyByTheInstallHash(String file, OtlpCodec.Encoding encoding) throws Exception {
        List<Map<String, String>> records = records(logs(file, encoding));

        assertThat(records).extracting(r -> r.get("body")).containsExactly("claude_code.mcp_server_connection",
                "claude_code.user_prompt", "claude_code.tool_decision", "claude_code.api_request",
                "claude_code.tool_result", "claude_code.api_request", "claude_code.assistant_response",
                "claude_code.mcp_server_connection");
        for (Map<String, String> record : records) {
            assertThat(record.get("user.id")).matches("[0-9a-f]{64}");
            assertThat(record).doesNotContainKeys("organization.id", "user.account_uuid", "user.email");
        }
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void anMcpToolResultNamesServerAndToolInToolParameters(String file, OtlpCodec.Encoding encoding) throws Exception {
        Map<String, String> toolResult = records(logs(file, encoding)).stream()
                .filter(r -> r.get("body").equals("claude_code.tool_result")).findFirst().orElseThrow();

        assertThat(toolResult.get("tool_name")).isEqualTo("mcp_tool");
        assertThat(toolResult.get("tool_parameters"))
                .isEqualTo("{\"mcp_server_name\":\"probe\",\"mcp_tool_name\":\"lookup_account\"}");
        assertThat(toolResult.get("mcp_server_scope")).isEqualTo("dynamic");
        assertThat(toolResult.get("tool_input")).contains("John Planted"); // only with OTEL_LOG_TOOL_DETAILS=1
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void anApiKeyUsersEventsBelongToTheTokensOrgAndNameTheDeviceNotAPerson(String file, OtlpCodec.Encoding encoding)
            throws Exception {
        String installHash = installHash(logs(file, encoding));
        OtlpLogMapper.Result result = new OtlpLogMapper(OtlpOptions.defaults(), new ContentClassifier())
                .map(logs(file, encoding), new Caller("org-token", new OrgDefaults(Plan.ENTERPRISE, DataClass.SENSITIVE)));

        assertThat(result.refusals()).isEmpty();
        assertThat(result.ignored()).isEqualTo(6);
        assertThat(result.events()).hasSize(2).allSatisfy(event -> {
            assertThat(event.getOrgId()).isEqualTo("org-token");
            assertThat(event.getUserId()).isEqualTo("unknown");
            assertThat(event.getDeviceId()).isEqualTo(installHash);
            assertThat(event.getPlan()).isEqualTo(Plan.ENTERPRISE);
            assertThat(event.getSessionId()).matches("[0-9a-f-]{36}");
        });
        assertThat(result.events().get(0).getDataClass()).isEqualTo(DataClass.RESTRICTED); // a card number and a key
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void aRecordMayRaiseButNotLowerItsTokensDataClass(String file, OtlpCodec.Encoding encoding) throws Exception {
        OtlpLogMapper mapper = new OtlpLogMapper(OtlpOptions.defaults(), new ContentClassifier());
        Caller restricted = new Caller("org-token", new OrgDefaults(Plan.TEAM, DataClass.RESTRICTED));
        ExportLogsServiceRequest.Builder lower = logs(file, encoding).toBuilder();
        lower.getResourceLogsBuilder(0).getResourceBuilder()
                .addAttributes(OtlpLogMapperTest.attribute(OtlpLogMapper.DATA_CLASS_ATTRIBUTE, "public"))
                .addAttributes(OtlpLogMapperTest.attribute(OtlpLogMapper.PLAN_ATTRIBUTE, "enterprise"));

        UsageEvent unbound = new OtlpLogMapper(OtlpOptions.defaults().withDefaults(Plan.API, DataClass.RESTRICTED,
                Map.of(), "org-default"), new ContentClassifier()).map(lower.build()).events().get(1); // no token
        UsageEvent mcp = mapper.map(lower.build(), restricted).events().get(1);

        assertThat(unbound.getDataClass()).isLessThan(DataClass.RESTRICTED); // the record's PUBLIC, raised by FINANCIAL
        assertThat(mcp.getDataClass()).isEqualTo(DataClass.RESTRICTED); // never below the token's
        assertThat(mcp.getPlan()).isEqualTo(Plan.ENTERPRISE); // the record's plan applies
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void anMcpToolResultIsKnownByItsToolParametersAlone(String file, OtlpCodec.Encoding encoding) throws Exception {
        ExportLogsServiceRequest.Builder request = logs(file, encoding).toBuilder();
        for (var scope : request.getResourceLogsBuilder(0).getScopeLogsBuilderList()) {
            for (var record : scope.getLogRecordsBuilderList()) {
                for (int i = record.getAttributesCount() - 1; i >= 0; i--) {
                    if (record.getAttributes(i).getKey().equals("mcp_server_scope")) {
                        record.removeAttributes(i);
                    }
                }
            }
        }
        OtlpLogMapper.Result result = new OtlpLogMapper(OtlpOptions.defaults(), new ContentClassifier())
                .map(request.build(), new Caller("org-token", null));

        assertThat(result.events()).extracting(UsageEvent::getFeature)
                .containsExactly(Feature.CLAUDE_CODE, Feature.MCP_INTEGRATION);
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void aRecordClaimingAnotherOrgThanItsTokensIsRefusedWithoutItsText(String file, OtlpCodec.Encoding encoding)
            throws Exception {
        ExportLogsServiceRequest.Builder request = logs(file, encoding).toBuilder();
        request.getResourceLogsBuilder(0).getResourceBuilder()
                .addAttributes(OtlpLogMapperTest.attribute("organization.id", "org-other"));
        OtlpLogMapper.Result result = new OtlpLogMapper(OtlpOptions.defaults(), new ContentClassifier())
                .map(request.build(), new Caller("org-token", null));

        assertThat(result.events()).isEmpty();
        assertThat(result.refusals()).hasSize(2).allSatisfy(refusal -> {
            assertThat(refusal.cause()).isEqualTo(Refusal.Cause.ORG_MISMATCH);
            assertThat(refusal.orgId()).isEqualTo("org-token");
            assertThat(refusal.attributes()).containsEntry("user.id", installHash(request.build()))
                    .doesNotContainKeys("prompt", "tool_input", "tool_parameters");
            assertThat(String.join(" ", refusal.attributes().values())).doesNotContain(PLANTED);
        });
    }

    @ParameterizedTest
    @CsvSource({"logs.pb, PROTOBUF", "logs.json, JSON"})
    void thePromptAndTheToolInputAreClassifiedAndDropped(String file, OtlpCodec.Encoding encoding) throws Exception {
        OtlpOptions options = OtlpOptions.defaults().withAddress("127.0.0.1", 0)
                .withDefaults(OtlpOptions.defaults().defaultPlan(), OtlpOptions.defaults().defaultDataClass(), Map.of(), "org-api");
        OtlpLogMapper.Result result = new OtlpLogMapper(options, new ContentClassifier()).map(logs(file, encoding));

        assertThat(result.rejected()).isZero();
        assertThat(result.events()).extracting(UsageEvent::getFeature)
                .containsExactly(Feature.CLAUDE_CODE, Feature.MCP_INTEGRATION);
        UsageEvent prompt = result.events().get(0);
        assertThat(prompt.getDataTags()).contains(DataTag.FINANCIAL, DataTag.CREDENTIALS);
        assertThat(result.events().get(1).getDataTags()).contains(DataTag.FINANCIAL);
        PlantedText.assertAbsent(result.events(), PLANTED);
    }
}
