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
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A tiny HTTP endpoint for container health checks and scraping:
 * <ul>
 *   <li>{@code GET /health}: 200 and {@code {"state":"RUNNING","healthy":true}} while the app works; 503
 *       with the reason when {@link StallDetector} finds it stuck (REBALANCING, or lagging without progress,
 *       longer than {@code compliance.health.stall.ms}) or in a state it cannot work in.</li>
 *   <li>{@code GET /metrics}: every numeric Kafka Streams metric as one line
 *       {@code group_name{tag="value",...} value} (Prometheus' text format, without TYPE lines), and
 *       {@code compliance_app_healthy} (1/0), {@code compliance_app_seconds_since_progress} and
 *       {@code compliance_app_input_lag} (the lag the verdict uses).</li>
 * </ul>
 */
public final class HealthServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HealthServer.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one), with the default stall bound. */
    public static HealthServer start(String host, int port, Supplier<KafkaStreams.State> state,
                                     Supplier<Map<MetricName, ? extends Metric>> metrics) {
        return start(host, port, Long.parseLong(RunSettings.HEALTH_STALL_MS_DEFAULT), state, metrics);
    }

    /** Starts serving on {@code host:port}; an app stuck longer than {@code stallBoundMs} is reported unhealthy. */
    public static HealthServer start(String host, int port, long stallBoundMs, Supplier<KafkaStreams.State> state,
                                     Supplier<Map<MetricName, ? extends Metric>> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the health endpoint on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        StallDetector detector = new StallDetector(stallBoundMs, System::currentTimeMillis);
        boolean[] wasHealthy = {true};
        // The detector advances when /health or /metrics is asked (a liveness probe or a scraper asks every few
        // seconds), so a stall is reported within the bound plus one probe interval.
        java.util.function.Function<Map<MetricName, ? extends Metric>, StallDetector.Verdict> verdict = m -> {
            StallDetector.Verdict v = detector.check(state.get(), processed(m), inputLag(m));
            if (v.healthy() != wasHealthy[0]) { // one log line per change, not per probe
                LOG.log(v.healthy() ? System.Logger.Level.INFO : System.Logger.Level.ERROR, v.healthy()
                        ? "the app is healthy again (" + v.state() + ")"
                        : "the app is unhealthy: " + v.reason() + "; /health answers 503 so that a liveness probe restarts it");
                wasHealthy[0] = v.healthy();
            }
            return v;
        };
        server.createContext("/health", exchange -> {
            StallDetector.Verdict v = verdict.apply(metrics.get());
            respond(exchange, v.healthy() ? 200 : 503, "application/json", "{\"state\":\"" + v.state() + "\",\"healthy\":" + v.healthy()
                    + (v.reason() == null ? "" : ",\"reason\":\"" + escape(v.reason()) + "\"") + "}\n");
        });
        server.createContext("/metrics", exchange ->
                {
                    Map<MetricName, ? extends Metric> m = metrics.get(); // read once for both the verdict and the lines
                    StallDetector.Verdict v = verdict.apply(m);
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", formatMetrics(m)
                            + "compliance_app_healthy " + (v.healthy() ? 1 : 0) + "\n"
                            + "compliance_app_seconds_since_progress " + v.millisSinceProgress() / 1000 + "\n"
                            + "compliance_app_input_lag " + inputLag(m) + "\n");
                });
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain", "try /health or /metrics\n"));
        // a few threads: an API call may wait for another instance's answer while probes keep coming
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "health-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new HealthServer(server, executor);
    }

    /**
     * Serves {@code path} (and everything under it) with {@code handler} on the same port, replacing what was
     * there: the API and the console are mounted this way ({@code dev.compliance.cli.api}).
     */
    public void register(String path, HttpHandler handler) {
        try {
            server.removeContext(path);
        } catch (IllegalArgumentException none) {
            // nothing was mounted there
        }
        server.createContext(path, handler);
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

    /** Records processed so far by every stream thread (stream-thread-metrics process-total). */
    static long processed(Map<MetricName, ? extends Metric> metrics) {
        return (long) sum(metrics, "stream-thread-metrics", "process-total");
    }

    /**
     * Records the main consumers are behind on their assigned partitions (restore and global consumers excluded).
     * The consumer reports the lag of a partition of a topic with a '.' in its name twice, under the topic's name
     * and under a deprecated copy with '_' for '.'; each partition counts once.
     */
    static long inputLag(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Double> byPartition = new java.util.HashMap<>();
        for (var entry : metrics.entrySet()) {
            MetricName n = entry.getKey();
            String client = n.tags().getOrDefault("client-id", "");
            if (!n.group().equals("consumer-fetch-manager-metrics") || !n.name().equals("records-lag")
                    || !n.tags().containsKey("partition") || client.contains("restore") || client.contains("global")) {
                continue;
            }
            if (entry.getValue().metricValue() instanceof Number v && !Double.isNaN(v.doubleValue())) {
                byPartition.put(client + "/" + n.tags().getOrDefault("topic", "").replace('.', '_') + "/" + n.tags().get("partition"),
                        v.doubleValue());
            }
        }
        return (long) byPartition.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double sum(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        double total = 0;
        for (var entry : metrics.entrySet()) {
            MetricName n = entry.getKey();
            if (n.group().equals(group) && n.name().equals(name)
                    && entry.getValue().metricValue() instanceof Number v && !Double.isNaN(v.doubleValue())) {
                total += v.doubleValue();
            }
        }
        return total;
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
