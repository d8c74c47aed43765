package dev.compliance.cli.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A tiny HTTP endpoint for container health checks and scraping:
 * <ul>
 *   <li>{@code GET /health}: 200 and {@code {"state":"RUNNING"}} while Kafka Streams is RUNNING or
 *       REBALANCING, 503 with the state otherwise.</li>
 *   <li>{@code GET /metrics}: every numeric Kafka Streams metric as one line
 *       {@code group_name{tag="value",...} value} (Prometheus' text format, without TYPE lines).</li>
 * </ul>
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one). */
    public static HealthServer start(String host, int port, Supplier<KafkaStreams.State> state,
                                     Supplier<Map<MetricName, ? extends Metric>> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the health endpoint on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/health", exchange -> {
            KafkaStreams.State current = state.get();
            boolean healthy = current == KafkaStreams.State.RUNNING || current == KafkaStreams.State.REBALANCING;
            respond(exchange, healthy ? 200 : 503, "application/json", "{\"state\":\"" + current + "\"}\n");
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", formatMetrics(metrics.get())));
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain", "try /health or /metrics\n"));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "health-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new HealthServer(server, executor);
    }

    /** The port actually listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** One {@code name{tags} value} line per numeric metric, sorted. */
    static String formatMetrics(Map<MetricName, ? extends Metric> metrics) {
        TreeSet<String> lines = new TreeSet<>();
        metrics.forEach((name, metric) -> {
            if (metric.metricValue() instanceof Number number) {
                String tags = name.tags().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(tag -> sanitize(tag.getKey()) + "=\"" + escape(tag.getValue()) + "\"")
                        .collect(Collectors.joining(","));
                lines.add(sanitize(name.group() + "_" + name.name())
                        + (tags.isEmpty() ? "" : "{" + tags + "}") + " " + format(number.doubleValue()));
            }
        });
        return lines.stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return Double.toString(value);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
