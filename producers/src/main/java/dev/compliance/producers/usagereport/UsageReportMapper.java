package dev.compliance.producers.usagereport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compliance.avro.Action;
import dev.compliance.avro.ApiUsage;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One usage event per bucket and group of the Admin API messages usage report, from the result model of
 * platform.claude.com {@code api/admin/usage_report/retrieve_messages} ("Get Messages Usage Report") and
 * {@code build-with-claude/usage-cost-api} ("Usage and Cost API"): {@code uncached_input_tokens},
 * {@code cache_creation{ephemeral_1h_input_tokens, ephemeral_5m_input_tokens}}, {@code cache_read_input_tokens},
 * {@code output_tokens}, {@code server_tool_use{web_search_requests}} and the group's {@code model},
 * {@code service_tier}, {@code context_window}, {@code workspace_id}, {@code api_key_id} (and, when grouped by them,
 * {@code account_id}, {@code service_account_id}, {@code inference_geo}). There is no request count, so
 * {@code requestCount} stays null; the counts go to {@code apiUsage}.
 *
 * <p>Plan API, event time the bucket start. Feature by service tier, deliberately ({@link #TIERS}): {@code batch} is
 * the Message Batches API (BATCH_API); {@code standard}, {@code priority}, {@code priority_on_demand}, {@code flex}
 * and {@code flex_discount} are tiers of the Messages API itself (MESSAGES_API); a report not grouped by tier (null)
 * is MESSAGES_API too, and so is a tier not documented yet ({@link #knownTier} lets the source say so). The user is
 * the API key; {@code api_key_id} null is usage in the Console (no key) and {@code workspace_id} null the default
 * workspace, as the docs define them: then the user is "unknown" and apiUsage's ids stay null, no label is made up.
 *
 * <p>Results without any usage (all counts zero) give no event. The event id is a hash of the org, bucket and group,
 * so a bucket read again has the same ids; {@link #totals} is what tells a changed bucket (a correction) from an
 * unchanged one.
 */
public class UsageReportMapper {

    /** Every documented service tier and the feature it is. */
    static final Map<String, Feature> TIERS = Map.of(
            "batch", Feature.BATCH_API,
            "standard", Feature.MESSAGES_API,
            "priority", Feature.MESSAGES_API,
            "priority_on_demand", Feature.MESSAGES_API,
            "flex", Feature.MESSAGES_API,
            "flex_discount", Feature.MESSAGES_API);

    /** The group fields, in the order they make the event id. */
    private static final List<String> GROUP_FIELDS = List.of("workspace_id", "api_key_id", "service_tier", "model",
            "context_window", "account_id", "service_account_id", "inference_geo");

    private final String orgId;
    private final String bucketWidth;
    private final DataClass dataClass;

    public UsageReportMapper(String orgId, String bucketWidth, DataClass dataClass) {
        this.orgId = orgId;
        this.bucketWidth = bucketWidth;
        this.dataClass = dataClass;
    }

    /** The event of one result of a bucket starting at {@code bucketStart}, or empty when it shows no usage. */
    public Optional<UsageEvent> map(Instant bucketStart, JsonNode result) {
        ApiUsage usage = ApiUsage.newBuilder()
                .setUncachedInputTokens(count(result, "uncached_input_tokens"))
                .setCacheCreation5mInputTokens(count(result.path("cache_creation"), "ephemeral_5m_input_tokens"))
                .setCacheCreation1hInputTokens(count(result.path("cache_creation"), "ephemeral_1h_input_tokens"))
                .setCacheReadInputTokens(count(result, "cache_read_input_tokens"))
                .setOutputTokens(count(result, "output_tokens"))
                .setWebSearchRequests(count(result.path("server_tool_use"), "web_search_requests"))
                .setModel(text(result, "model"))
                .setServiceTier(text(result, "service_tier"))
                .setContextWindow(text(result, "context_window"))
                .setWorkspaceId(text(result, "workspace_id"))
                .setApiKeyId(text(result, "api_key_id"))
                .build();
        if (!hasUsage(usage)) {
            return Optional.empty();
        }
        String apiKeyId = usage.getApiKeyId();
        return Optional.of(UsageEvent.newBuilder()
                .setEventId(eventId(bucketStart, result))
                .setEventTime(bucketStart)
                .setOrgId(orgId)
                .setUserId(apiKeyId != null ? apiKeyId : "unknown")
                .setPlan(Plan.API)
                .setFeature(TIERS.getOrDefault(String.valueOf(usage.getServiceTier()), Feature.MESSAGES_API))
                .setDataClass(dataClass)
                .setDataTags(List.of())
                .setAction(Action.USE)
                .setSource(EventSource.ADMIN_USAGE_REPORT)
                .setApiUsage(usage)
                .build());
    }

    private static boolean hasUsage(ApiUsage u) {
        return u.getUncachedInputTokens() + u.getCacheCreation5mInputTokens() + u.getCacheCreation1hInputTokens()
                + u.getCacheReadInputTokens() + u.getOutputTokens() + u.getWebSearchRequests() > 0;
    }

    /** True for a documented tier and for none (a report not grouped by tier). */
    static boolean knownTier(UsageEvent event) {
        String tier = event.getApiUsage().getServiceTier();
        return tier == null || TIERS.containsKey(tier);
    }

    /** The counts of an event, as one string: two reads of a bucket differ here exactly when its totals changed. */
    static String totals(ApiUsage usage) {
        return usage.getUncachedInputTokens() + "|" + usage.getCacheCreation5mInputTokens() + "|"
                + usage.getCacheCreation1hInputTokens() + "|" + usage.getCacheReadInputTokens() + "|"
                + usage.getOutputTokens() + "|" + usage.getWebSearchRequests();
    }

    private String eventId(Instant bucketStart, JsonNode result) {
        StringBuilder identity = new StringBuilder(String.join("|", orgId, bucketStart.toString(), bucketWidth));
        for (String field : GROUP_FIELDS) {
            identity.append('|').append(text(result, field));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return "usage-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static long count(JsonNode node, String field) {
        return Math.max(0, node.path(field).asLong(0));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
