package dev.compliance.producers.otlp;

import dev.compliance.producers.SourceException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC (https://opentelemetry.io/docs/specs/otlp/#otlpgrpc): the {@code LogsService} and {@code MetricsService}
 * of opentelemetry-proto, served by grpc-java on 4317 (Claude Code's monitoring docs start with
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}). Same mapping, tokens, partial success and counters as OTLP/HTTP; gzip
 * requests are decompressed by grpc-java. A missing or unknown token is UNAUTHENTICATED and a too large message
 * RESOURCE_EXHAUSTED without retry info, which exporters do not retry; only a Kafka that does not take the events is
 * UNAVAILABLE (retried with backoff, and the stable event ids make a retry harmless).
 */
final class OtlpGrpcServer {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Caller> CALLER = Context.key("otlp-caller");

    private final Server server;
    private final String address;

    OtlpGrpcServer(OtlpOptions options, OtlpIngest ingest) {
        this.address = options.host() + ":" + options.grpcPort();
        ServerInterceptor authenticate = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                Caller caller = ingest.authenticate(headers.get(AUTHORIZATION));
                if (caller == null) {
                    call.close(Status.UNAUTHENTICATED.withDescription(
                            "a bearer token listed in the receiver's tokens file is required"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), options.grpcPort()))
                .maxInboundMessageSize(options.maxBodyBytes())
                .addService(ServerInterceptors.intercept(new Logs(ingest), authenticate))
                .addService(ServerInterceptors.intercept(new Metrics(ingest), authenticate))
                .build();
    }

    /** Starts listening; returns the bound port. */
    int start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new SourceException("otlp: cannot listen for gRPC on " + address + " (" + e.getMessage()
                    + "); is another receiver running? choose another --grpc-port, or --grpc-port -1 for none");
        }
        return server.getPort();
    }

    void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
        private final OtlpIngest ingest;

        Logs(OtlpIngest ingest) {
            this.ingest = ingest;
        }

        @Override
        public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
            try {
                OtlpLogMapper.Result result = ingest.logs(request, CALLER.get(), "grpc");
                response.onNext(OtlpIngest.response(result));
                response.onCompleted();
            } catch (SourceException e) {
                response.onError(Status.UNAVAILABLE.withDescription("events not stored: " + e.getMessage())
                        .asRuntimeException());
            }
        }
    }

    private static final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
        private final OtlpIngest ingest;

        Metrics(OtlpIngest ingest) {
            this.ingest = ingest;
        }

        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
            ingest.metrics(request, "grpc");
            response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }
}
