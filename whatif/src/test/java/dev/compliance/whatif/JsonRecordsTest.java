package dev.compliance.whatif;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.UsageEvent;
import dev.compliance.streams.catalog.PolicyCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nested records in an events line: a usage-report event carries {@code apiUsage}. The counts are those of the first
 * result of the documented report model (producers' {@code usagereport/messages-page-1.json}, built from
 * platform.claude.com {@code api/admin/usage_report/retrieve_messages}); cli's {@code UsageReportEvaluateTest} checks
 * that the event the producer makes of that result reads back unchanged.
 */
class JsonRecordsTest {

    private static final String EVENT_FIELDS = "{\"eventId\":\"usage-5d1c\",\"eventTime\":\"2026-03-02T09:00:00Z\","
            + "\"orgId\":\"org_01HZW2J8PX6Z7A\",\"userId\":\"apikey_01Rj2N8SVvo6BePZj99NhmiT\",\"plan\":\"API\","
            + "\"feature\":\"MESSAGES_API\",\"dataClass\":\"INTERNAL\",\"dataTags\":[],\"action\":\"USE\","
            + "\"source\":\"ADMIN_USAGE_REPORT\"";
    static final String USAGE_REPORT_EVENT = EVENT_FIELDS + ",\"apiUsage\":{\"uncachedInputTokens\":182340,"
            + "\"cacheCreation5mInputTokens\":20480,\"cacheCreation1hInputTokens\":0,\"cacheReadInputTokens\":409600,"
            + "\"outputTokens\":51220,\"webSearchRequests\":12,\"model\":\"claude-sonnet-4-20250514\","
            + "\"serviceTier\":\"standard\",\"workspaceId\":\"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ\","
            + "\"apiKeyId\":\"apikey_01Rj2N8SVvo6BePZj99NhmiT\"}}";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aNestedRecordIsReadByItsOwnSchemaItsAbsentFieldsByTheirDefaults() throws Exception {
        UsageEvent event = JsonRecords.read(JSON.readTree(USAGE_REPORT_EVENT), UsageEvent.getClassSchema());
        assertThat(event.getSource()).isEqualTo(EventSource.ADMIN_USAGE_REPORT);
        assertThat(event.getApiUsage().getOutputTokens()).isEqualTo(51220);
        assertThat(event.getApiUsage().getCacheCreation5mInputTokens()).isEqualTo(20480);
        assertThat(event.getApiUsage().getModel()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(event.getApiUsage().getContextWindow()).isNull(); // absent: its default

        UsageEvent without = JsonRecords.read(JSON.readTree(EVENT_FIELDS + "}"), UsageEvent.getClassSchema());
        assertThat(without.getApiUsage()).isNull();
    }

    @Test
    void aBadNestedFieldIsNamedByItsPath() {
        assertThatThrownBy(() -> JsonRecords.read(JSON.readTree(USAGE_REPORT_EVENT.replace("51220", "\"many\"")),
                UsageEvent.getClassSchema()))
                .hasMessage("field 'apiUsage.outputTokens' must be a whole number");
        assertThatThrownBy(() -> JsonRecords.read(JSON.readTree(USAGE_REPORT_EVENT.replace("\"webSearchRequests\"",
                "\"web_search_requests\"")), UsageEvent.getClassSchema()))
                .hasMessageStartingWith("unknown field 'apiUsage.web_search_requests' (ApiUsage has [");
        assertThatThrownBy(() -> JsonRecords.read(JSON.readTree(EVENT_FIELDS + ",\"apiUsage\":[1]}"), UsageEvent.getClassSchema()))
                .hasMessage("field 'apiUsage' must be a JSON object");
    }

    @Test
    void evaluateJudgesAUsageReportEventLine() throws Exception {
        Path orgs = Files.writeString(dir.resolve("orgs.jsonl"),
                "{\"orgId\":\"org_01HZW2J8PX6Z7A\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}\n");
        Path events = Files.writeString(dir.resolve("events.jsonl"), USAGE_REPORT_EVENT + "\n");
        WhatIf.Result result = WhatIf.run(orgs, events, PolicyCatalog.load(), false,
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(result.problems()).isEmpty();
        assertThat(result.verdicts()).singleElement().asString().contains("\"eventId\":\"usage-5d1c\"");
    }
}
