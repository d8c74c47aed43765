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
 * "capi-" + the activity id), following the activity model of platform.claude.com
 * {@code api/compliance/activities} ("List compliance activities") and {@code manage-claude/compliance-activity-feed}
 * ("Query the Activity Feed"): an activity is {@code id} ({@code activity_…}), {@code created_at},
 * {@code organization_id} (null for activities not tied to an org), {@code actor}, {@code type}, plus top-level ids
 * named by type ({@code claude_chat_id}, {@code claude_file_id}, {@code claude_project_id},
 * {@code claude_project_document_id}, {@code mcp_server_id}); there is no {@code resource} object.
 *
 * <p>Every documented type that sends content to Claude, or deletes it, is mapped here on purpose ({@link #TYPES}):
 * <ul>
 *   <li>chats: {@code claude_chat_created} (USE), {@code claude_chat_deleted} (DELETE), resource the chat;</li>
 *   <li>files uploaded to a chat: {@code claude_file_uploaded} (USE), {@code claude_file_deleted} (DELETE), resource
 *       the file, feature CHAT (these are Claude.ai attachments, read through {@code /v1/compliance/apps/chats/files},
 *       not the API's Files API); a file uploaded into a project without a chat is PROJECTS;</li>
 *   <li>projects: {@code claude_project_created} (USE), {@code claude_project_deleted} (DELETE), resource the project;
 *       {@code claude_project_document_uploaded}/{@code _updated} (USE), {@code claude_project_document_deleted}
 *       (DELETE), resource the document; {@code claude_project_file_uploaded} (USE) and
 *       {@code claude_project_file_deleted} (DELETE), resource the file;</li>
 *   <li>MCP servers and integrations: {@code mcp_server_created}, {@code mcp_server_updated},
 *       {@code integration_user_connected} (USE, MCP_INTEGRATION, resource the MCP server): the feed does not record
 *       each tool call, so connecting a third-party tool that content will flow to is the usage it shows.</li>
 * </ul>
 * A DELETE of UNTIL_DELETED content (Enterprise chats without a custom retention, projects) starts its 30-day clock
 * downstream (POLICY.md retention rows 3 and 8, {@code RetentionCalculator}).
 *
 * <p>Skipped, and counted by type, on purpose: {@code *_deletion_failed} (nothing was deleted, so no clock may start),
 * {@code *_viewed}, {@code *_access_failed}, {@code claude_chat_updated} (name or model), {@code *_settings_updated},
 * {@code cowork_session_updated} (moves a Cowork session into or out of a project: no content is sent),
 * {@code mcp_server_deleted} (MCP_INTEGRATION content is held a fixed 30 days whatever happens to the server), sign-ins,
 * key and admin activity, and any type not listed above.
 *
 * <p>The user is the actor's {@code user_id} ({@code user_actor}: the documented join key; its
 * {@code email_address} when the id is missing), the key for {@code api_actor} ({@code api_key_id}) and
 * {@code admin_api_key_actor} ({@code admin_api_key_id}), the account for {@code service_account_actor}
 * ({@code service_account_id}); other actors (Anthropic, system, SCIM) give "unknown".
 */
public class ActivityMapper {

    /** How one mapped type becomes an event: feature, action and the top-level field holding the resource id. */
    record TypeMapping(Feature feature, Action action, String resourceField) {
    }

    /** Every documented content type this mapper turns into an event (class comment says why each). */
    static final Map<String, TypeMapping> TYPES = Map.ofEntries(
            Map.entry("claude_chat_created", new TypeMapping(Feature.CHAT, Action.USE, "claude_chat_id")),
            Map.entry("claude_chat_deleted", new TypeMapping(Feature.CHAT, Action.DELETE, "claude_chat_id")),
            Map.entry("claude_file_uploaded", new TypeMapping(Feature.CHAT, Action.USE, "claude_file_id")),
            Map.entry("claude_file_deleted", new TypeMapping(Feature.CHAT, Action.DELETE, "claude_file_id")),
            Map.entry("claude_project_created", new TypeMapping(Feature.PROJECTS, Action.USE, "claude_project_id")),
            Map.entry("claude_project_deleted", new TypeMapping(Feature.PROJECTS, Action.DELETE, "claude_project_id")),
            Map.entry("claude_project_document_uploaded",
                    new TypeMapping(Feature.PROJECTS, Action.USE, "claude_project_document_id")),
            Map.entry("claude_project_document_updated",
                    new TypeMapping(Feature.PROJECTS, Action.USE, "claude_project_document_id")),
            Map.entry("claude_project_document_deleted",
                    new TypeMapping(Feature.PROJECTS, Action.DELETE, "claude_project_document_id")),
            Map.entry("claude_project_file_uploaded", new TypeMapping(Feature.PROJECTS, Action.USE, "claude_file_id")),
            Map.entry("claude_project_file_deleted", new TypeMapping(Feature.PROJECTS, Action.DELETE, "claude_file_id")),
            Map.entry("mcp_server_created", new TypeMapping(Feature.MCP_INTEGRATION, Action.USE, "mcp_server_id")),
            Map.entry("mcp_server_updated", new TypeMapping(Feature.MCP_INTEGRATION, Action.USE, "mcp_server_id")),
            Map.entry("integration_user_connected",
                    new TypeMapping(Feature.MCP_INTEGRATION, Action.USE, "mcp_server_id")));

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

    /** A type that sends or deletes no content (or is not known yet): skipped and counted by type. */
    public record Skipped(String type) implements Outcome {
    }

    /** An activity of a mapped type that lacks what an event needs: skipped and reported. */
    public record Malformed(String reason) implements Outcome {
    }

    public Outcome map(JsonNode activity) {
        String type = activity.path("type").asText("");
        TypeMapping mapping = TYPES.get(type);
        if (mapping == null) {
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
        String resourceId = text(activity, mapping.resourceField())
                .or(() -> "integration_user_connected".equals(type) ? text(activity, "integration_type") : Optional.empty())
                .orElse(null);
        if (resourceId == null) {
            return new Malformed(id + ": " + type + " without " + mapping.resourceField());
        }
        Feature feature = mapping.feature();
        if ("claude_file_uploaded".equals(type) && text(activity, "claude_chat_id").isEmpty()
                && text(activity, "claude_project_id").isPresent()) {
            feature = Feature.PROJECTS;
        }
        return new Mapped(UsageEvent.newBuilder()
                .setEventId("capi-" + id)
                .setEventTime(createdAt)
                .setOrgId(text(activity, "organization_id").orElse(fallbackOrgId))
                .setUserId(actor(activity.path("actor")))
                .setPlan(Plan.ENTERPRISE)
                .setFeature(feature)
                .setDataClass(dataClass)
                .setDataTags(List.of())
                .setAction(mapping.action())
                .setResourceId(resourceId)
                .setSource(EventSource.COMPLIANCE_API)
                .build());
    }

    /** The person or key behind an activity (class comment). */
    static String actor(JsonNode actor) {
        return switch (actor.path("type").asText("")) {
            case "user_actor" -> text(actor, "user_id").or(() -> text(actor, "email_address")).orElse("unknown");
            case "api_actor" -> text(actor, "api_key_id").orElse("unknown");
            case "admin_api_key_actor" -> text(actor, "admin_api_key_id").orElse("unknown");
            case "service_account_actor" -> text(actor, "service_account_id").orElse("unknown");
            default -> "unknown";
        };
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }
}
