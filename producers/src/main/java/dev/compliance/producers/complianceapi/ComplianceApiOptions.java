package dev.compliance.producers.complianceapi;

import dev.compliance.avro.DataClass;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.http.ApiClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * Options of {@code ./compliance produce compliance-api}.
 *
 * @param baseUrl          API root, https://api.anthropic.com by default
 * @param apiKey           a Compliance Access Key (sk-ant-api01-...) or Admin API key with the
 *                         read:compliance_activities scope (sent as x-api-key; never logged)
 * @param orgId            the org whose feed this is: names the stored feed position and is the org of activities
 *                         that carry no organization_id
 * @param since            on the very first run (no stored position), start at activities created at or after this
 *                         instant (created_at.gte, the walk back stops there); null reads the whole feed. Once a
 *                         position is stored it is not used: the catch-up reads only activity newer than the position
 * @param pageSize         activities per request (limit), 1 to 5000
 * @param follow           keep polling for new activities after reaching the end of the feed
 * @param pollInterval     pause between polls at the end of the feed when following
 * @param defaultDataClass data class of the produced events (the feed says nothing about content)
 * @param retry            retries on 429, 5xx and connection failures
 */
public record ComplianceApiOptions(URI baseUrl, String apiKey, String orgId, Instant since, int pageSize,
                                   boolean follow, Duration pollInterval, DataClass defaultDataClass,
                                   ApiClient.RetryPolicy retry) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");

    public ComplianceApiOptions {
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new SourceException("compliance-api: the base URL must be absolute, like " + DEFAULT_BASE_URL);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new SourceException("compliance-api: no API key given (set ANTHROPIC_COMPLIANCE_API_KEY)");
        }
        if (orgId == null || orgId.isBlank()) {
            throw new SourceException("compliance-api: no org id given (--org-id)");
        }
        if (pageSize < 1 || pageSize > 5000) {
            throw new SourceException("compliance-api: page size must be between 1 and 5000, got " + pageSize);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new SourceException("compliance-api: the poll interval must be positive");
        }
        if (defaultDataClass == null) {
            throw new SourceException("compliance-api: no default data class given");
        }
    }

    /** Page size 1000, no follow, poll every minute, class INTERNAL, default retries. */
    public static ComplianceApiOptions of(URI baseUrl, String apiKey, String orgId) {
        return new ComplianceApiOptions(baseUrl, apiKey, orgId, null, 1000, false, Duration.ofMinutes(1),
                DataClass.INTERNAL, ApiClient.RetryPolicy.defaults());
    }

    public ComplianceApiOptions withPaging(Instant newSince, int newPageSize) {
        return new ComplianceApiOptions(baseUrl, apiKey, orgId, newSince, newPageSize, follow, pollInterval,
                defaultDataClass, retry);
    }

    public ComplianceApiOptions withFollow(boolean newFollow, Duration newPollInterval) {
        return new ComplianceApiOptions(baseUrl, apiKey, orgId, since, pageSize, newFollow, newPollInterval,
                defaultDataClass, retry);
    }

    public ComplianceApiOptions withRetry(ApiClient.RetryPolicy newRetry) {
        return new ComplianceApiOptions(baseUrl, apiKey, orgId, since, pageSize, follow, pollInterval,
                defaultDataClass, newRetry);
    }

    /** The key is left out, so that options can be printed. */
    @Override
    public String toString() {
        return "ComplianceApiOptions[baseUrl=" + baseUrl + ", orgId=" + orgId + ", since=" + since + ", pageSize="
                + pageSize + ", follow=" + follow + ", pollInterval=" + pollInterval + "]";
    }
}
