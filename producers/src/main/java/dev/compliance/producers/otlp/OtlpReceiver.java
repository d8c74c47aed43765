package dev.compliance.producers.otlp;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.StopSignal;
import dev.compliance.producers.sink.DeadLetter;
import java.time.Duration;

/**
 * {@code ./compliance produce otlp}: an OTLP receiver for Claude Code telemetry, OTLP/HTTP on 4318
 * ({@link OtlpHttpServer}) and OTLP/gRPC on 4317 ({@link OtlpGrpcServer}), both on loopback unless told otherwise,
 * both doing the same with what they receive ({@link OtlpIngest}): authenticate the exporter's token, map the log
 * records to usage events, dead-letter and count what cannot be mapped.
 */
public class OtlpReceiver implements AutoCloseable {

    private final OtlpOptions options;
    private final OtlpIngest ingest;
    private OtlpHttpServer http;
    private OtlpGrpcServer grpc;
    private int grpcPort = -1;

    /**
     * @param events      where usage events go (compliance.usage-events)
     * @param deadLetters where refused records go (compliance.dead-letter)
     * @throws SourceException when the tokens file cannot be read
     */
    public OtlpReceiver(OtlpOptions options, RecordSink<UsageEvent> events, RecordSink<DeadLetter> deadLetters) {
        this.options = options;
        this.ingest = new OtlpIngest(options, events, deadLetters);
    }

    /** Starts listening (HTTP, and gRPC unless its port is -1); returns the bound HTTP port. */
    public synchronized int start() {
        http = new OtlpHttpServer(options, ingest);
        int port = http.start();
        if (options.grpcPort() >= 0) {
            grpc = new OtlpGrpcServer(options, ingest);
            try {
                grpcPort = grpc.start();
            } catch (SourceException e) {
                close();
                throw e;
            }
        }
        return port;
    }

    /** The bound gRPC port, or -1 when gRPC is off or not started. */
    public synchronized int grpcPort() {
        return grpcPort;
    }

    /**
     * Runs until stopped: starts, reports the addresses and whether callers are authenticated, then a line every
     * {@code reportEvery} when something arrived, and the totals at the end.
     */
    public void run(StopSignal stop, Progress progress, Duration reportEvery) {
        int port = start();
        progress.report("OTLP receiver listening on http://" + options.host() + ":" + port + "/v1/logs"
                + (grpcPort >= 0 ? " and grpc://" + options.host() + ":" + grpcPort : "")
                + "; counters on http://" + options.host() + ":" + port + "/metrics");
        progress.report(authenticationLine());
        try {
            long lastRecords = -1;
            while (stop.await(reportEvery)) {
                if (ingest.counters().records() != lastRecords) {
                    lastRecords = ingest.counters().records();
                    progress.report(summary());
                }
            }
        } finally {
            close();
            progress.report("stopped; " + summary());
        }
    }

    /** The start-up line saying who may write and how records are attributed. */
    String authenticationLine() {
        TokensFile tokens = ingest.tokens();
        if (tokens != null) {
            return "authenticated: " + tokens.size() + " token(s) in " + tokens.path() + " (reloaded when it changes);"
                    + " each record is attributed to its token's org";
        }
        return "UNAUTHENTICATED (no --tokens-file): anyone who reaches these ports can write; records are attributed by"
                + " organization.id, else " + (options.defaultOrgId() == null ? "refused (no --default-org)"
                : "to --default-org " + options.defaultOrgId()) + "; default plan " + options.defaultPlan()
                + ", data class " + options.defaultDataClass();
    }

    public String summary() {
        return ingest.counters().summary();
    }

    public long eventsSent() {
        return ingest.counters().eventsSent();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (grpc != null) {
            grpc.close();
            grpc = null;
        }
    }
}
