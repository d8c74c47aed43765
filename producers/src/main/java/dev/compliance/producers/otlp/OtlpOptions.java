package dev.compliance.producers.otlp;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;
import dev.compliance.producers.SourceException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Options of {@code ./compliance produce otlp}.
 *
 * @param host             address to listen on: "127.0.0.1" (the default) for this machine only, "0.0.0.0" for every
 *                         interface
 * @param port             OTLP/HTTP port; 4318 is the OTLP default, 0 picks a free one
 * @param grpcPort         OTLP/gRPC port; 4317 is the OTLP default, 0 picks a free one, -1 turns gRPC off
 * @param tokensFile       the exporters' hashed bearer tokens ({@link TokensFile}); null: unauthenticated
 * @param defaultPlan      plan of events whose telemetry, token and org defaults name none
 * @param defaultDataClass data class of events whose telemetry, token and org defaults name none
 * @param orgDefaults      per-org plan and data class, by organization.id (unauthenticated receiver)
 * @param defaultOrgId     org of records without organization.id when unauthenticated; null refuses them
 * @param countApiRequests also turn each claude_code.api_request into a USE event (requestCount 1)
 * @param maxBodyBytes     largest request body accepted, after decompression
 */
public record OtlpOptions(String host, int port, int grpcPort, Path tokensFile, Plan defaultPlan,
                          DataClass defaultDataClass, Map<String, OrgDefaults> orgDefaults, String defaultOrgId,
                          boolean countApiRequests, int maxBodyBytes) {

    public static final int DEFAULT_PORT = 4318;
    public static final int DEFAULT_GRPC_PORT = 4317;
    public static final String LOOPBACK = "127.0.0.1";

    public OtlpOptions {
        orgDefaults = Map.copyOf(orgDefaults);
        if (host == null || host.isBlank()) {
            throw new SourceException("otlp: no listen address given");
        }
        if (port < 0 || port > 65535) {
            throw new SourceException("otlp: port must be between 0 and 65535, got " + port);
        }
        if (grpcPort < -1 || grpcPort > 65535) {
            throw new SourceException("otlp: gRPC port must be between 0 and 65535 (or -1 for none), got " + grpcPort);
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
        if (tokensFile != null && (defaultOrgId != null || !orgDefaults.isEmpty())) {
            throw new SourceException("otlp: --default-org and --org-default do not apply with --tokens-file: each token"
                    + " names its org, plan and data class in the tokens file");
        }
    }

    /** Loopback, 4318 and 4317, unauthenticated; plan API and class INTERNAL unless the telemetry says otherwise. */
    public static OtlpOptions defaults() {
        return new OtlpOptions(LOOPBACK, DEFAULT_PORT, DEFAULT_GRPC_PORT, null, Plan.API, DataClass.INTERNAL, Map.of(),
                null, false, 16 * 1024 * 1024);
    }

    public OtlpOptions withAddress(String newHost, int newPort) {
        return new OtlpOptions(newHost, newPort, grpcPort, tokensFile, defaultPlan, defaultDataClass, orgDefaults,
                defaultOrgId, countApiRequests, maxBodyBytes);
    }

    public OtlpOptions withGrpcPort(int newGrpcPort) {
        return new OtlpOptions(host, port, newGrpcPort, tokensFile, defaultPlan, defaultDataClass, orgDefaults,
                defaultOrgId, countApiRequests, maxBodyBytes);
    }

    public OtlpOptions withTokensFile(Path file) {
        return new OtlpOptions(host, port, grpcPort, file, defaultPlan, defaultDataClass, orgDefaults, defaultOrgId,
                countApiRequests, maxBodyBytes);
    }

    public OtlpOptions withDefaults(Plan plan, DataClass dataClass, Map<String, OrgDefaults> perOrg, String orgId) {
        return new OtlpOptions(host, port, grpcPort, tokensFile, plan, dataClass, perOrg, orgId, countApiRequests,
                maxBodyBytes);
    }

    public OtlpOptions withApiRequestsCounted(boolean counted) {
        return new OtlpOptions(host, port, grpcPort, tokensFile, defaultPlan, defaultDataClass, orgDefaults,
                defaultOrgId, counted, maxBodyBytes);
    }
}
