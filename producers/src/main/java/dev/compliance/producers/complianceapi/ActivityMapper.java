package dev.compliance.producers.complianceapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps one Compliance API activity to a usage event (plan ENTERPRISE, source COMPLIANCE_API, eventId
 * "capi-" + the activity id). Activity types that send content become USE events, deletions DELETE events with the
 * deleted resource's id; every other type (sign-ins, settings changes, ...) is not a usage and is skipped.
 */
public class ActivityMapper {

    /** Activity types that carry content to Claude, by feature. */
    static final Map<String, Feature> USE_TYPES = Map.ofEntries(
            Map.entry("chat_created", Feature.CHAT),
            Map.entry("chat_message_sent", Feature.CHAT),
            Map.entry("chat_file_uploaded", Feature.CHAT),
            Map.entry("project_created", Feature.PROJECTS),
            Map.entry("project_document_uploaded", Feature.PROJECTS),
            Map.entry("project_instructions_updated", Feature.PROJECTS),
            Map.entry("file_uploaded", Feature.FILES_API),
            Map.entry("cowork_session_started", Feature.COWORK),
            Map.entry("cowork_message_sent", Feature.COWORK),
            Map.entry("mcp_server_connected", Feature.MCP_INTEGRATION),
            Map.entry("mcp_tool_called", Feature.MCP_INTEGRATION),
            Map.entry("integration_connected", Feature.MCP_INTEGRATION),
            Map.entry("integration_used", Feature.MCP_INTEGRATION));

    /** Deletions of content whose retention clock starts when deleted, by feature. */
    static final Map<String, Feature> DELETE_TYPES = Map.of(
            "chat_deleted", Feature.CHAT,
            "project_deleted", Feature.PROJECTS,
            "project_document_deleted", Feature.PROJECTS,
            "file_deleted", Feature.FILES_API);

    private final String fallbackOrgId;
    private final DataClass dataClass;

    public ActivityMapper(String fallbackOrgId, DataClass dataClass) {
        this.fallbackOrgId = fallbackOrgId;
        this.dataClass = dataClass;
    }

    /** What became of one activity. */
    public sealed interface Outcome {
    }

    public record Mapped(UsageEvent event) implements Outcome {
    }

    /** A type that is not a usage (or not known yet): skipped and counted by type. */
    public record Skipped(String type) implements Outcome {
    }

    /** An activity of a known type that lacks what an event needs: skipped and reported. */
    public record Malformed(String reason) implements Outcome {
    }

    public Outcome map(JsonNode activity) {
        String type = activity.path("type").asText("");
        Feature use = USE_TYPES.get(type);
        Feature deleted = DELETE_TYPES.get(type);
        if (use == null && deleted == null) {
            return new Skipped(type.isEmpty() ? "(no type)" : type);
        }
        String id = text(activity, "id").orElse(null);
        if (id == null) {
            return new Malformed(type + " activity without an id");
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(activity.path("created_at").asText(""));
        } catch (DateTimeParseException e) {
            return new Malformed(id + ": created_at '" + activity.path("created_at").asText("") + "' is not an ISO-8601 instant");
        }
        String resourceId = text(activity.path("resource"), "id").orElse(null);
        if (deleted != null && resourceId == null) {
            return new Malformed(id + ": " + type + " without resource.id");
        }
        JsonNode actor = activity.path("actor");
        String userId = text(actor, "email_address").or(() -> text(actor, "id")).orElse("unknown");
        Feature feature = use != null ? use : deleted;
        UsageEvent.Builder event = UsageEvent.newBuilder()
                .setEventId("capi-" + id)
                .setEventTime(createdAt)
                .setOrgId(text(activity, "organization_id").orElse(fallbackOrgId))
                .setUserId(userId)
                .setPlan(Plan.ENTERPRISE)
                .setFeature(feature)
                .setDataClass(dataClass)
                .setDataTags(List.of())
                .setAction(use != null ? Action.USE : Action.DELETE)
                .setResourceId(resourceId)
                .setSource(EventSource.COMPLIANCE_API);
        if (feature == Feature.COWORK) {
            event.setSessionId(resourceId);
        }
        return new Mapped(event.build());
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }
}
