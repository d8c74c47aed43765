package dev.compliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.ApiUsage;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.usagereport.UsageReportMapper;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.whatif.JsonRecords;
import dev.compliance.whatif.WhatIf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./compliance evaluate} on what the usage-report producer sends: the event of the documented report's first
 * result (producers' {@code usagereport/messages-page-1.json}, built from platform.claude.com
 * {@code api/admin/usage_report/retrieve_messages}), written as an events line with its {@code apiUsage}, reads back
 * as the same event and is judged.
 */
class UsageReportEvaluateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org_01HZW2J8PX6Z7A";

    @TempDir
    Path dir;

    @Test
    void aUsageReportEventWithItsApiUsageReadsBackUnchangedAndIsJudged() throws Exception {
        JsonNode page = JSON.readTree(Path.of("../producers/src/test/resources/usagereport/messages-page-1.json").toFile());
        JsonNode bucket = page.path("data").get(0);
        UsageEvent event = new UsageReportMapper(ORG, "1h", DataClass.INTERNAL)
                .map(Instant.parse(bucket.path("starting_at").asText()), bucket.path("results").get(0)).orElseThrow();
        assertThat(event.getApiUsage().getOutputTokens()).isEqualTo(51220);

        String line = jsonLine(event);
        assertThat(JsonRecords.<UsageEvent>read(JSON.readTree(line), UsageEvent.getClassSchema())).isEqualTo(event);

        Path orgs = Files.writeString(dir.resolve("orgs.jsonl"),
                "{\"orgId\":\"" + ORG + "\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\"}\n");
        Path events = Files.writeString(dir.resolve("events.jsonl"), line + "\n");
        WhatIf.Result result = WhatIf.run(orgs, events, PolicyCatalog.load(), new PrintStream(new ByteArrayOutputStream()));
        assertThat(result.problems()).isEmpty();
        assertThat(result.verdicts()).singleElement().asString().contains("\"eventId\":\"" + event.getEventId() + "\"");
    }

    /** The fields a usage-report event sets, as a line of evaluate's events file (the rest take their defaults). */
    private static String jsonLine(UsageEvent e) {
        ObjectNode line = JSON.createObjectNode()
                .put("eventId", e.getEventId()).put("eventTime", e.getEventTime().toString())
                .put("orgId", e.getOrgId()).put("userId", e.getUserId()).put("plan", e.getPlan().name())
                .put("feature", e.getFeature().name()).put("dataClass", e.getDataClass().name())
                .put("action", e.getAction().name()).put("source", e.getSource().name());
        line.putArray("dataTags");
        ApiUsage u = e.getApiUsage();
        line.putObject("apiUsage")
                .put("uncachedInputTokens", u.getUncachedInputTokens())
                .put("cacheCreation5mInputTokens", u.getCacheCreation5mInputTokens())
                .put("cacheCreation1hInputTokens", u.getCacheCreation1hInputTokens())
                .put("cacheReadInputTokens", u.getCacheReadInputTokens())
                .put("outputTokens", u.getOutputTokens()).put("webSearchRequests", u.getWebSearchRequests())
                .put("model", u.getModel()).put("serviceTier", u.getServiceTier())
                .put("contextWindow", u.getContextWindow()).put("workspaceId", u.getWorkspaceId())
                .put("apiKeyId", u.getApiKeyId());
        return line.toString();
    }
}
