package dev.compliance.producers.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.classify.ContentClassifier;
import dev.compliance.producers.sink.DeadLetter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What both transports (OTLP/HTTP and OTLP/gRPC) do with an export request: authenticate the caller by its bearer
 * token, map the log records, send the events and the dead letters of the refused records (acknowledged by Kafka
 * before the answer), count everything on {@link OtlpCounters}. Metrics are counted, not stored: Claude Code's
 * metrics (token and cost counters) carry nothing a compliance rule judges.
 */
final class OtlpIngest {

    static final String DEAD_LETTER_STAGE = "otlp-receiver";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OtlpLogMapper mapper;
    private final TokensFile tokens;
    private final RecordSink<UsageEvent> events;
    private final RecordSink<DeadLetter> deadLetters;
    private final OtlpCounters counters = new OtlpCounters();

    OtlpIngest(OtlpOptions options, RecordSink<UsageEvent> events, RecordSink<DeadLetter> deadLetters) {
        this.mapper = new OtlpLogMapper(options, new ContentClassifier());
        this.tokens = options.tokensFile() == null ? null : TokensFile.load(options.tokensFile());
        this.events = events;
        this.deadLetters = deadLetters;
    }

    OtlpCounters counters() {
        return counters;
    }

    TokensFile tokens() {
        return tokens;
    }

    /**
     * The caller of a request from its {@code Authorization} header value (null when absent): {@link
     * Caller#UNAUTHENTICATED} without a tokens file; with one, the token's caller, or null (and counted) when the
     * token is missing or unknown: the transport then answers 401 / UNAUTHENTICATED, which exporters do not retry.
     */
    Caller authenticate(String authorization) {
        if (tokens == null) {
            return Caller.UNAUTHENTICATED;
        }
        String token = bearerToken(authorization);
        if (token == null) {
            counters.refused(OtlpCounters.RequestRefusal.MISSING_TOKEN, "no 'Authorization: Bearer' header");
            return null;
        }
        Caller caller = tokens.caller(token);
        if (caller == null) {
            counters.refused(OtlpCounters.RequestRefusal.UNKNOWN_TOKEN, "a bearer token not in " + tokens.path());
        }
        return caller;
    }

    /** Maps, sends and counts; a {@link SourceException} when Kafka did not take the events (nothing counted then). */
    OtlpLogMapper.Result logs(ExportLogsServiceRequest request, Caller caller, String protocol) {
        counters.request(protocol, "logs");
        OtlpLogMapper.Result result = mapper.map(request, caller);
        try {
            result.events().forEach(events::send);
            result.refusals().forEach(refusal -> deadLetters.send(deadLetter(refusal)));
            events.flush();
            deadLetters.flush();
        } catch (SourceException e) {
            counters.refused(OtlpCounters.RequestRefusal.KAFKA_UNAVAILABLE, e.getMessage());
            throw e;
        }
        counters.logs(result);
        return result;
    }

    /** The answer to a logs export: partial_success names the refused records, if any. */
    static ExportLogsServiceResponse response(OtlpLogMapper.Result result) {
        ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
        if (result.rejected() > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(result.rejected())
                    .setErrorMessage(result.errorMessage()));
        }
        return response.build();
    }

    /** Counts the data points of a metrics export. */
    void metrics(ExportMetricsServiceRequest request, String protocol) {
        counters.request(protocol, "metrics");
        long points = request.getResourceMetricsList().stream()
                .flatMap(r -> r.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream())
                .mapToLong(OtlpIngest::dataPoints)
                .sum();
        counters.metricPoints(points);
    }

    void refused(OtlpCounters.RequestRefusal refusal, String detail) {
        counters.refused(refusal, detail);
    }

    private static long dataPoints(Metric metric) {
        return switch (metric.getDataCase()) {
            case SUM -> metric.getSum().getDataPointsCount();
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            default -> 0;
        };
    }

    /** The dead letter of a refused record: why, and its attributes without content, as JSON. */
    static DeadLetter deadLetter(Refusal refusal) {
        ObjectNode value = JSON.createObjectNode()
                .put("stage", DEAD_LETTER_STAGE)
                .put("cause", refusal.cause().label)
                .put("reason", refusal.message())
                .put("fix", refusal.cause().fix)
                .put("eventName", refusal.eventName())
                .put("orgId", refusal.orgId());
        ObjectNode attributes = value.putObject("attributes");
        refusal.attributes().forEach(attributes::put);
        return new DeadLetter(refusal.orgId(), value.toString().getBytes(StandardCharsets.UTF_8),
                "otlp " + refusal.cause().label, DEAD_LETTER_STAGE);
    }

    private static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return null;
        }
        String token = value.substring("bearer ".length()).strip();
        return token.isEmpty() ? null : token;
    }
}
