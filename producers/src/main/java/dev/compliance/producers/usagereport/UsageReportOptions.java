package dev.compliance.producers.usagereport;

import dev.compliance.avro.DataClass;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.http.ApiClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Options of {@code ./compliance produce usage-report}.
 *
 * @param baseUrl          API root, https://api.anthropic.com by default
 * @param apiKey           an Admin API key (sk-ant-admin...; sent as x-api-key, never logged)
 * @param orgId            the org the key belongs to: the events' orgId and the name of the stored position
 * @param anthropicVersion the anthropic-version header
 * @param startingAt       on the very first run (no stored position), the first bucket to read; null is 7 days ago
 * @param bucketWidth      1m, 1h or 1d
 * @param groupBy          group_by[] values: any of the documented account_id, api_key_id, context_window,
 *                         inference_geo, model, service_account_id, service_tier, workspace_id (speed needs a beta
 *                         header and is not offered)
 * @param settle           a bucket is first read once it ended this long ago ("typically within 5 minutes")
 * @param reread           each poll reads again the buckets of this trailing window before the position and sends a
 *                         correction for a bucket whose totals changed (the docs: "delays may occasionally be
 *                         longer"); zero reads each bucket once
 * @param follow           keep polling for new buckets
 * @param pollInterval     pause between polls when following
 * @param defaultDataClass data class of the produced events (the report says nothing about content)
 * @param retry            retries on 429, 5xx and connection failures
 */
public record UsageReportOptions(URI baseUrl, String apiKey, String orgId, String anthropicVersion,
                                 Instant startingAt, String bucketWidth, List<String> groupBy, Duration settle,
                                 Duration reread, boolean follow, Duration pollInterval, DataClass defaultDataClass,
                                 ApiClient.RetryPolicy retry) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
    static final Set<String> GROUPS = Set.of("account_id", "api_key_id", "context_window", "inference_geo", "model",
            "service_account_id", "service_tier", "workspace_id");

    public UsageReportOptions {
        groupBy = List.copyOf(groupBy);
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new SourceException("usage-report: the base URL must be absolute, like " + DEFAULT_BASE_URL);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new SourceException("usage-report: no Admin API key given (set ANTHROPIC_ADMIN_API_KEY)");
        }
        if (orgId == null || orgId.isBlank()) {
            throw new SourceException("usage-report: no org id given (--org-id)");
        }
        if (bucketWidth == null || width(bucketWidth) == null) {
            throw new SourceException("usage-report: bucket width must be 1m, 1h or 1d, got " + bucketWidth);
        }
        for (String group : groupBy) {
            if (!GROUPS.contains(group)) {
                throw new SourceException("usage-report: cannot group by '" + group + "'; use any of " + GROUPS);
            }
        }
        if (settle == null || settle.isNegative()) {
            throw new SourceException("usage-report: the settle delay must not be negative");
        }
        if (reread == null || reread.isNegative()) {
            throw new SourceException("usage-report: the re-read window must not be negative");
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new SourceException("usage-report: the poll interval must be positive");
        }
        if (anthropicVersion == null || anthropicVersion.isBlank() || defaultDataClass == null) {
            throw new SourceException("usage-report: an anthropic-version and a default data class are required");
        }
    }

    /**
     * Hourly buckets grouped by workspace, key, service tier and model, first read 5 minutes after they close,
     * re-read for 24 hours, class INTERNAL.
     */
    public static UsageReportOptions of(URI baseUrl, String apiKey, String orgId) {
        return new UsageReportOptions(baseUrl, apiKey, orgId, "2023-06-01", null, "1h",
                List.of("workspace_id", "api_key_id", "service_tier", "model"), Duration.ofMinutes(5),
                Duration.ofHours(24), false, Duration.ofMinutes(15), DataClass.INTERNAL, ApiClient.RetryPolicy.defaults());
    }

    public UsageReportOptions withRange(Instant newStartingAt, String newBucketWidth, Duration newSettle) {
        return new UsageReportOptions(baseUrl, apiKey, orgId, anthropicVersion, newStartingAt, newBucketWidth,
                groupBy, newSettle, reread, follow, pollInterval, defaultDataClass, retry);
    }

    public UsageReportOptions withReread(Duration newReread) {
        return new UsageReportOptions(baseUrl, apiKey, orgId, anthropicVersion, startingAt, bucketWidth, groupBy,
                settle, newReread, follow, pollInterval, defaultDataClass, retry);
    }

    public UsageReportOptions withFollow(boolean newFollow, Duration newPollInterval) {
        return new UsageReportOptions(baseUrl, apiKey, orgId, anthropicVersion, startingAt, bucketWidth, groupBy,
                settle, reread, newFollow, newPollInterval, defaultDataClass, retry);
    }

    public UsageReportOptions withRetry(ApiClient.RetryPolicy newRetry) {
        return new UsageReportOptions(baseUrl, apiKey, orgId, anthropicVersion, startingAt, bucketWidth, groupBy,
                settle, reread, follow, pollInterval, defaultDataClass, newRetry);
    }

    public Duration width() {
        return width(bucketWidth);
    }

    static Duration width(String bucketWidth) {
        return switch (bucketWidth) {
            case "1m" -> Duration.ofMinutes(1);
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            default -> null;
        };
    }

    /** The key is left out, so that options can be printed. */
    @Override
    public String toString() {
        return "UsageReportOptions[baseUrl=" + baseUrl + ", orgId=" + orgId + ", startingAt=" + startingAt
                + ", bucketWidth=" + bucketWidth + ", groupBy=" + groupBy + ", settle=" + settle + ", reread=" + reread
                + ", follow=" + follow
                + "]";
    }
}
