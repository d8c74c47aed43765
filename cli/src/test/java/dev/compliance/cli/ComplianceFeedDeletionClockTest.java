package dev.compliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.complianceapi.ActivityMapper;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.whatif.WhatIf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compliance API deletions, as the producer maps them, start their 30-day clocks in the topology (POLICY.md: "A
 * DELETE event for a resource with UNTIL_DELETED content starts its 30-day clock"; rows 3 and 8). The activities
 * have the documented shapes of platform.claude.com api/compliance/activities (top-level typed ids, user_actor);
 * the events go through the same topology as {@code ./compliance evaluate} (WhatIf, TopologyTestDriver).
 */
class ComplianceFeedDeletionClockTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org_01Wv6QeBcDfGhJkLmNpQrSt8";
    private static final String ACTOR = "{\"type\":\"user_actor\",\"email_address\":\"user@example.com\","
            + "\"user_id\":\"user_01TuVwXyZaBcDeFgH2JkLmN4\"}";

    @TempDir
    Path dir;

    private static String activity(String id, String time, String type, String ids) {
        return "{\"id\":\"" + id + "\",\"created_at\":\"" + time + "\",\"organization_id\":\"" + ORG + "\",\"actor\":"
                + ACTOR + ",\"type\":\"" + type + "\"," + ids + "}";
    }

    @Test
    void everyContentDeletionStartsAThirtyDayClockAndNothingElseDoes() throws Exception {
        String chat = "\"claude_chat_id\":\"claude_chat_01XyDMpzjS89pFZXqSFUBDr6\"";
        String file = "\"claude_file_id\":\"claude_file_01Fq2WbN8xYz3KLm4PqRsT5v\","
                + "\"claude_chat_id\":\"claude_chat_01XyDMpzjS89pFZXqSFUBDr6\"";
        String project = "\"claude_project_id\":\"claude_proj_01Pr9JkLmNoPqRsTuVwXyZ0a\"";
        String document = "\"claude_project_document_id\":\"claude_proj_doc_01Dc4EfGhJkLmNpQrStUvWx\"," + project;
        String projectFile = "\"claude_file_id\":\"claude_file_01Pf6GhJkLmNpQrStUvWxYz1\"," + project;
        List<String> activities = List.of(
                activity("activity_01", "2026-04-10T08:00:00Z", "claude_chat_created", chat),
                activity("activity_02", "2026-04-10T08:01:00Z", "claude_file_uploaded", file),
                activity("activity_03", "2026-04-10T08:02:00Z", "claude_project_created", project),
                activity("activity_04", "2026-04-10T08:03:00Z", "claude_project_document_uploaded", document),
                activity("activity_05", "2026-04-10T08:04:00Z", "claude_project_file_uploaded", projectFile),
                activity("activity_06", "2026-04-11T09:00:00Z", "claude_chat_deleted", chat),
                activity("activity_07", "2026-04-11T09:01:00Z", "claude_file_deleted", file),
                activity("activity_08", "2026-04-11T09:02:00Z", "claude_project_document_deleted", document),
                activity("activity_09", "2026-04-11T09:03:00Z", "claude_project_file_deleted", projectFile),
                activity("activity_10", "2026-04-11T09:04:00Z", "claude_project_deleted", project));
        ActivityMapper mapper = new ActivityMapper(ORG, DataClass.INTERNAL);
        List<UsageEvent> events = new ArrayList<>();
        for (String a : activities) {
            events.add(((ActivityMapper.Mapped) mapper.map(JSON.readTree(a))).event());
        }
        Path orgs = Files.writeString(dir.resolve("orgs.jsonl"), "{\"orgId\":\"" + ORG + "\","
                + "\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"zdrEnabled\":false,\"baaSigned\":false,"
                + "\"developmentPartnerProgram\":false,\"allowedPlans\":[],\"customRetentionDays\":null,"
                + "\"localTranscriptDays\":30}\n");
        Path eventsFile = dir.resolve("events.jsonl");
        Files.write(eventsFile, events.stream().map(ComplianceFeedDeletionClockTest::jsonLine).toList());

        WhatIf.Result result = WhatIf.run(orgs, eventsFile, PolicyCatalog.load(),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(result.problems()).isEmpty();
        assertThat(result.verdicts()).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            UsageEvent event = events.get(i);
            JsonNode retention = JSON.readTree(result.verdicts().get(i)).path("retention");
            assertThat(retention.path("kind").asText()).as(event.getEventId()).isEqualTo("UNTIL_DELETED");
            if (event.getAction() == Action.DELETE) {
                assertThat(retention.path("expiresAt").asText()).as(event.getEventId())
                        .isEqualTo(event.getEventTime().plus(Duration.ofDays(30)).toString());
            } else {
                assertThat(retention.path("expiresAt").isNull()).as(event.getEventId()).isTrue();
            }
        }
        assertThat(events).filteredOn(e -> e.getAction() == Action.DELETE).hasSize(5);
    }

    /** The fields of a Compliance API event, as a line of evaluate's events file. */
    private static String jsonLine(UsageEvent e) {
        ObjectNode line = JSON.createObjectNode()
                .put("eventId", e.getEventId()).put("eventTime", e.getEventTime().toString())
                .put("orgId", e.getOrgId()).put("userId", e.getUserId()).put("plan", e.getPlan().name())
                .put("feature", e.getFeature().name()).put("dataClass", e.getDataClass().name())
                .put("action", e.getAction().name()).put("resourceId", e.getResourceId())
                .put("source", e.getSource().name());
        line.putArray("dataTags");
        return line.toString();
    }
}
