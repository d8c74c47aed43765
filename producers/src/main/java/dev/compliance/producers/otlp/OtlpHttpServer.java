package dev.compliance.producers.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.metrics.MetricsEndpoint;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp) on the JDK's HTTP server.
 *
 * <p>POST /v1/logs with {@code application/x-protobuf} or {@code application/json}, optionally gzip-compressed.
 * Mapped events and the dead letters of refused records are acknowledged by Kafka before the answer: 200 with an
 * ExportLogsServiceResponse (partial_success naming refused records), 400 for a body that does not decode, 401 for a
 * missing or unknown bearer token when a tokens file is configured, 413 for a body over the limit, 415 for another
 * content type or encoding, 405 for another method, 503 when Kafka does not take the events (the exporter retries;
 * event ids are stable, so a retry repeats the same ids). POST /v1/metrics is decoded and its data points counted;
 * /v1/traces is accepted and discarded, so a Claude Code that exports every signal to one endpoint sees no errors.
 * GET /metrics shows the counters ({@link OtlpCounters}, served by {@link MetricsEndpoint#handler}). Exporters never get an error they would retry forever:
 * what cannot be mapped is answered 200 with partial_success (OTLP says not to retry that).
 */
final class OtlpHttpServer {

    private static final int GRPC_INVALID_ARGUMENT = 3;
    private static final int GRPC_UNAVAILABLE = 14;
    private static final int GRPC_UNAUTHENTICATED = 16;

    private final OtlpOptions options;
    private final OtlpIngest ingest;
    private HttpServer server;
    private ExecutorService executor;

    OtlpHttpServer(OtlpOptions options, OtlpIngest ingest) {
        this.options = options;
        this.ingest = ingest;
    }

    /** Starts listening; returns the bound port. */
    int start() {
        try {
            server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
        } catch (BindException e) {
            throw new SourceException("otlp: cannot listen on " + options.host() + ":" + options.port()
                    + " (" + e.getMessage() + "); is another receiver running? choose another --port");
        } catch (IOException e) {
            throw new SourceException("otlp: cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
        }
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "otlp-receiver");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/v1/logs", this::handleLogs);
        server.createContext("/v1/metrics", this::handleMetrics);
        server.createContext("/v1/traces", this::handleTraces);
        server.createContext("/metrics", MetricsEndpoint.handler(() -> ingest.counters().prometheus()));
        server.start();
        return server.getAddress().getPort();
    }

    void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdown();
            server = null;
        }
    }

    private void handleLogs(HttpExchange exchange) throws IOException {
        try (exchange) {
            OtlpCodec.Encoding encoding = checkRequest(exchange);
            Caller caller = encoding == null ? null : authenticate(exchange, encoding);
            byte[] body = caller == null ? null : readBody(exchange, encoding);
            if (body == null) {
                return;
            }
            ExportLogsServiceRequest request;
            try {
                request = OtlpCodec.decodeLogs(body, encoding);
            } catch (IOException | RuntimeException e) {
                undecodable(exchange, encoding, "ExportLogsServiceRequest", e);
                return;
            }
            OtlpLogMapper.Result result;
            try {
                result = ingest.logs(request, caller, "http");
            } catch (SourceException e) {
                exchange.getResponseHeaders().set("Retry-After", "5");
                respondStatus(exchange, 503, GRPC_UNAVAILABLE, "events not stored: " + e.getMessage(), encoding);
                return;
            }
            respond(exchange, 200, OtlpCodec.encode(OtlpIngest.response(result), encoding), encoding);
        }
    }

    private void handleMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            OtlpCodec.Encoding encoding = checkRequest(exchange);
            byte[] body = encoding == null || authenticate(exchange, encoding) == null ? null : readBody(exchange, encoding);
            if (body == null) {
                return;
            }
            try {
                ingest.metrics(OtlpCodec.decodeMetrics(body, encoding), "http");
            } catch (IOException | RuntimeException e) {
                undecodable(exchange, encoding, "ExportMetricsServiceRequest", e);
                return;
            }
            respond(exchange, 200, OtlpCodec.encode(ExportMetricsServiceResponse.getDefaultInstance(), encoding), encoding);
        }
    }

    private void handleTraces(HttpExchange exchange) throws IOException {
        try (exchange) {
            OtlpCodec.Encoding encoding = checkRequest(exchange);
            if (encoding != null && authenticate(exchange, encoding) != null && readBody(exchange, encoding) != null) {
                // An empty ExportTraceServiceResponse: nothing rejected.
                respond(exchange, 200, encoding == OtlpCodec.Encoding.JSON ? "{}".getBytes() : new byte[0], encoding);
            }
        }
    }

    /** The caller of the request; answers 401 itself and returns null for a missing or unknown token. */
    private Caller authenticate(HttpExchange exchange, OtlpCodec.Encoding encoding) throws IOException {
        Caller caller = ingest.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (caller == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            respondStatus(exchange, 401, GRPC_UNAUTHENTICATED,
                    "a bearer token listed in the receiver's tokens file is required", encoding);
        }
        return caller;
    }

    private void undecodable(HttpExchange exchange, OtlpCodec.Encoding encoding, String what, Exception e)
            throws IOException {
        undecodable(exchange, encoding, "cannot decode the body as an OTLP " + what + " in " + encoding.contentType
                + ": " + firstLine(e));
    }

    private void undecodable(HttpExchange exchange, OtlpCodec.Encoding encoding, String message) throws IOException {
        ingest.refused(OtlpCounters.RequestRefusal.UNDECODABLE, message);
        respondStatus(exchange, 400, GRPC_INVALID_ARGUMENT, message, encoding);
    }

    private void unsupported(HttpExchange exchange, int status, String message) throws IOException {
        ingest.refused(OtlpCounters.RequestRefusal.UNSUPPORTED, message);
        respondText(exchange, status, message);
    }

    /** Method and content type; answers 405 or 415 itself and returns null then. */
    private OtlpCodec.Encoding checkRequest(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            unsupported(exchange, 405, "only POST is supported on " + exchange.getRequestURI().getPath());
            return null;
        }
        OtlpCodec.Encoding encoding = OtlpCodec.Encoding.of(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (encoding == null) {
            unsupported(exchange, 415, "unsupported content type '" + exchange.getRequestHeaders().getFirst("Content-Type")
                    + "'; OTLP/HTTP takes application/x-protobuf or application/json");
            return null;
        }
        return encoding;
    }

    /** The (decompressed) body; answers 413 or 415 itself and returns null then. */
    private byte[] readBody(HttpExchange exchange, OtlpCodec.Encoding encoding) throws IOException {
        String contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        String coding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream in;
        try {
            in = switch (coding) {
                case "", "identity" -> exchange.getRequestBody();
                case "gzip" -> new GZIPInputStream(exchange.getRequestBody());
                default -> null;
            };
        } catch (ZipException e) {
            undecodable(exchange, encoding, "the body is not valid gzip: " + e.getMessage());
            return null;
        }
        if (in == null) {
            unsupported(exchange, 415, "unsupported content encoding '" + contentEncoding + "'; use gzip or none");
            return null;
        }
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > options.maxBodyBytes()) {
                    ingest.refused(OtlpCounters.RequestRefusal.TOO_LARGE, "a body over " + options.maxBodyBytes() + " bytes");
                    respondText(exchange, 413, "the body is larger than " + options.maxBodyBytes() + " bytes");
                    return null;
                }
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException e) {
            undecodable(exchange, encoding, "the body is not valid gzip: " + firstLine(e));
            return null;
        }
    }

    private static void respondStatus(HttpExchange exchange, int httpStatus, int grpcCode, String message,
                                      OtlpCodec.Encoding encoding) throws IOException {
        respond(exchange, httpStatus, OtlpCodec.status(grpcCode, message, encoding), encoding);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, OtlpCodec.Encoding encoding)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", encoding.contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void respondText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
