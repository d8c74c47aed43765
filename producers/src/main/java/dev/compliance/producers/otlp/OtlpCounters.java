package dev.compliance.producers.otlp;

import dev.compliance.producers.metrics.PrometheusText;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the receiver took in and refused, for its {@code GET /metrics} ({@link PrometheusText}) and its progress
 * lines. Every refusal is counted by cause and logged once per cause with the setting that fixes it: nothing is
 * dropped without someone being told.
 */
final class OtlpCounters {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpCounters.class);

    /** Why a whole request was refused (the record-level causes are {@link Refusal.Cause}). */
    enum RequestRefusal {
        MISSING_TOKEN("missing-token", "set OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <token>\" on the exporter"),
        UNKNOWN_TOKEN("unknown-token", "add the token's sha256 to the tokens file, or give the exporter a listed token"),
        UNSUPPORTED("unsupported", "POST OTLP to /v1/logs or /v1/metrics as application/x-protobuf or application/json,"
                + " gzip or uncompressed"),
        UNDECODABLE("undecodable", "the exporter must send OTLP protobuf or OTLP/JSON (OTEL_EXPORTER_OTLP_PROTOCOL)"),
        TOO_LARGE("too-large", "lower the exporter's batch size, or raise the receiver's body limit"),
        KAFKA_UNAVAILABLE("kafka-unavailable", "the exporter retries; check --bootstrap-servers and the brokers");

        final String label;
        final String fix;

        RequestRefusal(String label, String fix) {
            this.label = label;
            this.fix = fix;
        }
    }

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong metricPoints = new AtomicLong();
    private final Map<Refusal.Cause, AtomicLong> refusedRecords = new ConcurrentHashMap<>();
    private final Map<RequestRefusal, AtomicLong> refusedRequests = new ConcurrentHashMap<>();
    private final Set<Object> logged = ConcurrentHashMap.newKeySet();

    void request(String protocol, String signal) {
        requests.computeIfAbsent(protocol + " " + signal, k -> new AtomicLong()).incrementAndGet();
    }

    void logs(OtlpLogMapper.Result result) {
        records.addAndGet(result.records());
        events.addAndGet(result.events().size());
        ignored.addAndGet(result.ignored());
        deadLetters.addAndGet(result.refusals().size());
        for (Refusal refusal : result.refusals()) {
            refusedRecords.computeIfAbsent(refusal.cause(), k -> new AtomicLong()).incrementAndGet();
            logOnce(refusal.cause(), "otlp: log record refused (" + refusal.cause().label + "): " + refusal.message()
                    + "; fix: " + refusal.cause().fix + " (logged once; counted on /metrics, kept in compliance.dead-letter)");
        }
    }

    void metricPoints(long points) {
        metricPoints.addAndGet(points);
    }

    void refused(RequestRefusal refusal, String detail) {
        refusedRequests.computeIfAbsent(refusal, k -> new AtomicLong()).incrementAndGet();
        logOnce(refusal, "otlp: request refused (" + refusal.label + "): " + detail + "; fix: " + refusal.fix
                + " (logged once; counted on /metrics)");
    }

    long eventsSent() {
        return events.get();
    }

    long records() {
        return records.get();
    }

    String summary() {
        long requestCount = requests.values().stream().mapToLong(AtomicLong::get).sum();
        long refused = refusedRecords.values().stream().mapToLong(AtomicLong::get).sum();
        return String.format("%d requests, %d log records: %d events sent, %d ignored, %d rejected; %d metric points",
                requestCount, records.get(), events.get(), ignored.get(), refused, metricPoints.get());
    }

    /** The Prometheus text exposition of every counter; each refusal cause is listed, at 0 until it happens. */
    String prometheus() {
        PrometheusText out = new PrometheusText();
        out.counter("compliance_otlp_requests_total", "Export requests taken in, by protocol and signal.");
        new TreeMap<>(requests).forEach((key, n) -> {
            String[] protocolAndSignal = key.split(" ", 2);
            out.sample("compliance_otlp_requests_total", n.get(), "protocol", protocolAndSignal[0],
                    "signal", protocolAndSignal[1]);
        });
        out.counter("compliance_otlp_requests_refused_total", "Export requests refused as a whole, by cause.");
        for (RequestRefusal refusal : RequestRefusal.values()) {
            out.sample("compliance_otlp_requests_refused_total", count(refusedRequests.get(refusal)), "cause", refusal.label);
        }
        out.single("compliance_otlp_log_records_total", "Log records received.", records.get());
        out.single("compliance_otlp_events_sent_total", "Usage events sent to compliance.usage-events.", events.get());
        out.single("compliance_otlp_log_records_ignored_total", "Log records of kinds that are not usage (accepted).",
                ignored.get());
        out.counter("compliance_otlp_log_records_refused_total",
                "Log records that could not be attributed or mapped, by cause.");
        for (Refusal.Cause cause : Refusal.Cause.values()) {
            out.sample("compliance_otlp_log_records_refused_total", count(refusedRecords.get(cause)), "cause", cause.label);
        }
        out.single("compliance_otlp_dead_letters_total", "Refused log records written to compliance.dead-letter.",
                deadLetters.get());
        out.single("compliance_otlp_metric_points_total", "OTLP metric data points received (counted, not stored).",
                metricPoints.get());
        return out.toString();
    }

    private void logOnce(Object cause, String message) {
        if (logged.add(cause)) {
            LOG.warn(message);
        }
    }

    private static long count(AtomicLong counter) {
        return counter == null ? 0 : counter.get();
    }
}
