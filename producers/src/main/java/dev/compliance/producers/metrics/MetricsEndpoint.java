package dev.compliance.producers.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.compliance.producers.SourceException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in the Prometheus text format ({@link PrometheusText}): {@link #handler} is mounted by the
 * OTLP receiver on its own port; {@link #start} gives a source that has no listener of its own (the Compliance API
 * and usage-report pollers) one, on loopback unless told otherwise, like every listener here. It only reads
 * counters: no request changes anything, any other method is answered 405, any other path 404.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Answers GET with {@code exposition}'s text, anything else 405. */
    public static HttpHandler handler(Supplier<String> exposition) {
        return exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    respond(exchange, 405, "text/plain; charset=utf-8", "only GET is supported on /metrics");
                    return;
                }
                respond(exchange, 200, PrometheusText.CONTENT_TYPE, exposition.get());
            }
        };
    }

    /**
     * Listens on {@code host:port} (0 picks a free port) with {@code /metrics} only.
     *
     * @param what names the source in the one-line error when the port cannot be opened
     * @throws SourceException when the address cannot be listened on
     */
    public static MetricsEndpoint start(String what, String host, int port, Supplier<String> exposition) {
        if (port < 0 || port > 65535) {
            throw new SourceException(what + ": --metrics-port must be between 0 and 65535, got " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new SourceException(what + ": cannot listen for /metrics on " + host + ":" + port + " ("
                    + e.getMessage() + "); choose another --metrics-port");
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, what + "-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", handler(exposition));
        server.createContext("/", exchange -> {
            try (exchange) {
                respond(exchange, 404, "text/plain; charset=utf-8", "only /metrics is served here");
            }
        });
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    /** The port actually listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Where the counters are, for the start-up line. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
