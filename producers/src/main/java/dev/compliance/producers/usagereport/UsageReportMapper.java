package dev.compliance.producers.usagereport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compliance.avro.Action;
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
import java.util.Optional;

/**
 * One usage event per bucket and group of the messages usage report: plan API, feature BATCH_API for the batch
 * service tier and MESSAGES_API otherwise, event time the bucket start, user the API key (or the workspace when the
 * report is not grouped by key), requestCount the result's request_count when it has one. Results without any
 * usage (all counts zero) give no event. The event id is a hash of the org, bucket and group, so reading the same
 * bucket again gives the same ids.
 */
public class UsageReportMapper {

    private static final List<String> COUNTS = List.of("uncached_input_tokens", "cache_read_input_tokens",
            "output_tokens", "request_count");

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
        if (!hasUsage(result)) {
            return Optional.empty();
        }
        String serviceTier = text(result, "service_tier");
        String apiKeyId = text(result, "api_key_id");
        String workspaceId = text(result, "workspace_id");
        String userId = apiKeyId != null ? apiKeyId : workspaceId != null ? workspaceId : "all-keys";
        JsonNode requests = result.path("request_count");
        return Optional.of(UsageEvent.newBuilder()
                .setEventId(eventId(bucketStart, result))
                .setEventTime(bucketStart)
                .setOrgId(orgId)
                .setUserId(userId)
                .setPlan(Plan.API)
                .setFeature("batch".equals(serviceTier) ? Feature.BATCH_API : Feature.MESSAGES_API)
                .setDataClass(dataClass)
                .setDataTags(List.of())
                .setAction(Action.USE)
                .setSource(EventSource.ADMIN_USAGE_REPORT)
                .setRequestCount(requests.canConvertToLong() && requests.asLong() > 0 ? requests.asLong() : null)
                .build());
    }

    static boolean hasUsage(JsonNode result) {
        for (String field : COUNTS) {
            if (result.path(field).asLong(0) > 0) {
                return true;
            }
        }
        JsonNode cacheCreation = result.path("cache_creation");
        for (JsonNode value : cacheCreation) {
            if (value.asLong(0) > 0) {
                return true;
            }
        }
        for (JsonNode value : result.path("server_tool_use")) {
            if (value.asLong(0) > 0) {
                return true;
            }
        }
        return false;
    }

    private String eventId(Instant bucketStart, JsonNode result) {
        String identity = String.join("|", orgId, bucketStart.toString(), bucketWidth,
                String.valueOf(text(result, "workspace_id")), String.valueOf(text(result, "api_key_id")),
                String.valueOf(text(result, "service_tier")), String.valueOf(text(result, "model")),
                String.valueOf(text(result, "context_window")));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "usage-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
