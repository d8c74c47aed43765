package dev.compliance.producers.otlp;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;
import dev.compliance.producers.SourceException;
import java.util.Map;

/**
 * Options of {@code ./compliance produce otlp}.
 *
 * @param host             address to listen on ("0.0.0.0" for every interface, "127.0.0.1" for this machine only)
 * @param port             port to listen on; 4318 is the OTLP/HTTP default, 0 picks a free one
 * @param defaultPlan      plan of events whose telemetry and org defaults name none
 * @param defaultDataClass data class of events whose telemetry and org defaults name none
 * @param orgDefaults      per-org plan and data class, by organization.id
 * @param defaultOrgId     org of records without organization.id (for example API-key users); null rejects them
 * @param countApiRequests also turn each claude_code.api_request into a USE event (requestCount 1)
 * @param maxBodyBytes     largest request body accepted, after decompression
 */
public record OtlpOptions(String host, int port, Plan defaultPlan, DataClass defaultDataClass,
                          Map<String, OrgDefaults> orgDefaults, String defaultOrgId, boolean countApiRequests,
                          int maxBodyBytes) {

    public static final int DEFAULT_PORT = 4318;

    public OtlpOptions {
        orgDefaults = Map.copyOf(orgDefaults);
        if (host == null || host.isBlank()) {
            throw new SourceException("otlp: no listen address given");
        }
        if (port < 0 || port > 65535) {
            throw new SourceException("otlp: port must be between 0 and 65535, got " + port);
        }
        if (defaultPlan == null || defaultDataClass == null) {
            throw new SourceException("otlp: a default plan and a default data class are required");
        }
        if (maxBodyBytes < 1024) {
            throw new SourceException("otlp: max body size must be at least 1024 bytes, got " + maxBodyBytes);
        }
        if (defaultOrgId != null && defaultOrgId.isBlank()) {
            throw new SourceException("otlp: the default org id must not be blank");
        }
    }

    /** Listens on every interface at 4318; plan API and class INTERNAL unless the telemetry says otherwise. */
    public static OtlpOptions defaults() {
        return new OtlpOptions("0.0.0.0", DEFAULT_PORT, Plan.API, DataClass.INTERNAL, Map.of(), null, false,
                16 * 1024 * 1024);
    }

    public OtlpOptions withAddress(String newHost, int newPort) {
        return new OtlpOptions(newHost, newPort, defaultPlan, defaultDataClass, orgDefaults, defaultOrgId,
                countApiRequests, maxBodyBytes);
    }

    public OtlpOptions withDefaults(Plan plan, DataClass dataClass, Map<String, OrgDefaults> perOrg, String orgId) {
        return new OtlpOptions(host, port, plan, dataClass, perOrg, orgId, countApiRequests, maxBodyBytes);
    }

    public OtlpOptions withApiRequestsCounted(boolean counted) {
        return new OtlpOptions(host, port, defaultPlan, defaultDataClass, orgDefaults, defaultOrgId, counted,
                maxBodyBytes);
    }
}
