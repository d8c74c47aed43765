package dev.compliance.producers.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.StopSignal;
import dev.compliance.producers.classify.ContentClassifier;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code ./compliance produce otlp}: an OTLP/HTTP logs receiver for Claude Code telemetry.
 *
 * <p>POST /v1/logs with {@code application/x-protobuf} or {@code application/json}, optionally gzip-compressed.
 * Mapped events are sent and acknowledged by Kafka before the answer: 200 with an ExportLogsServiceResponse (with
 * partial_success naming rejected records), 400 for a body that does not decode, 413 for a body over the limit,
 * 415 for another content type or encoding, 405 for another method, 503 when Kafka does not take the events (the
 * exporter retries; event ids are stable, so a retry repeats the same ids). POST /v1/metrics and /v1/traces are
 * accepted and discarded, so a Claude Code that exports every signal to one endpoint sees no errors.
 */
public class OtlpReceiver implements AutoCloseable {

    private static final int GRPC_INVALID_ARGUMENT = 3;
    private static final int GRPC_UNAVAILABLE = 14;

    private final OtlpOptions options;
    private final OtlpLogMapper mapper;
    private final RecordSink<UsageEvent> sink;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private HttpServer server;
    private ExecutorService executor;

    public OtlpReceiver(OtlpOptions options, RecordSink<UsageEvent> sink) {
        this.options = options;
        this.mapper = new OtlpLogMapper(options, new ContentClassifier());
        this.sink = sink;
    }

    /** Starts listening; returns the bound port. */
    public synchronized int start() {
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
        server.createContext("/v1/metrics", exchange -> handleDiscarded(exchange));
        server.createContext("/v1/traces", exchange -> handleDiscarded(exchange));
        server.start();
        return server.getAddress().getPort();
    }

    /**
     * Runs until stopped: starts, reports the address, then a line every {@code reportEvery} when something
     * arrived, and the totals at the end.
     */
    public void run(StopSignal stop, Progress progress, Duration reportEvery) {
        int port = start();
        progress.report("OTLP receiver listening on http://" + options.host() + ":" + port + "/v1/logs");
        try {
            long lastRecords = -1;
            while (stop.await(reportEvery)) {
                if (records.get() != lastRecords) {
                    lastRecords = records.get();
                    progress.report(summary());
                }
            }
        } finally {
            close();
            progress.report("stopped; " + summary());
        }
    }

    public String summary() {
        return String.format("%d requests, %d log records: %d events sent, %d ignored, %d rejected",
                requests.get(), records.get(), events.get(), ignored.get(), rejected.get());
    }

    public long eventsSent() {
        return events.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdown();
            server = null;
        }
    }

    private void handleLogs(HttpExchange exchange) throws IOException {
        try (exchange) {
            OtlpCodec.Encoding encoding = checkRequest(exchange);
            if (encoding == null) {
                return;
            }
            byte[] body = readBody(exchange, encoding);
            if (body == null) {
                return;
            }
            ExportLogsServiceRequest request;
            try {
                request = OtlpCodec.decodeLogs(body, encoding);
            } catch (IOException | RuntimeException e) {
                respondStatus(exchange, 400, GRPC_INVALID_ARGUMENT,
                        "cannot decode the body as an OTLP ExportLogsServiceRequest in " + encoding.contentType
                                + ": " + firstLine(e), encoding);
                return;
            }
            requests.incrementAndGet();
            OtlpLogMapper.Result result = mapper.map(request);
            try {
                result.events().forEach(sink::send);
                sink.flush();
            } catch (SourceException e) {
                exchange.getResponseHeaders().set("Retry-After", "5");
                respondStatus(exchange, 503, GRPC_UNAVAILABLE, "events not stored: " + e.getMessage(), encoding);
                return;
            }
            records.addAndGet(result.records());
            events.addAndGet(result.events().size());
            ignored.addAndGet(result.ignored());
            rejected.addAndGet(result.rejected());
            ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
            if (result.rejected() > 0) {
                response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(result.rejected())
                        .setErrorMessage(result.errorMessage()));
            }
            respond(exchange, 200, OtlpCodec.encode(response.build(), encoding), encoding);
        }
    }

    private void handleDiscarded(HttpExchange exchange) throws IOException {
        try (exchange) {
            OtlpCodec.Encoding encoding = checkRequest(exchange);
            if (encoding != null && readBody(exchange, encoding) != null) {
                // An empty Export*ServiceResponse: nothing rejected.
                respond(exchange, 200, encoding == OtlpCodec.Encoding.JSON ? "{}".getBytes() : new byte[0], encoding);
            }
        }
    }

    /** Method and content type; answers 405 or 415 itself and returns null then. */
    private OtlpCodec.Encoding checkRequest(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            respondText(exchange, 405, "only POST is supported on " + exchange.getRequestURI().getPath());
            return null;
        }
        OtlpCodec.Encoding encoding = OtlpCodec.Encoding.of(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (encoding == null) {
            respondText(exchange, 415, "unsupported content type '" + exchange.getRequestHeaders().getFirst("Content-Type")
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
            respondStatus(exchange, 400, GRPC_INVALID_ARGUMENT, "the body is not valid gzip: " + e.getMessage(), encoding);
            return null;
        }
        if (in == null) {
            respondText(exchange, 415, "unsupported content encoding '" + contentEncoding + "'; use gzip or none");
            return null;
        }
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > options.maxBodyBytes()) {
                    respondText(exchange, 413, "the body is larger than " + options.maxBodyBytes() + " bytes");
                    return null;
                }
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException e) {
            respondStatus(exchange, 400, GRPC_INVALID_ARGUMENT, "the body is not valid gzip: " + firstLine(e), encoding);
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
