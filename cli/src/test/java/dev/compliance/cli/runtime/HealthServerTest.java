package dev.compliance.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthFollowsTheStreamsState() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, state::get, Map::of)) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            state.set(KafkaStreams.State.RUNNING);
            HttpResponse<String> running = get(server, "/health");
            state.set(KafkaStreams.State.ERROR);
            HttpResponse<String> error = get(server, "/health");

            assertThat(running.statusCode()).isEqualTo(200);
            assertThat(running.body()).isEqualTo("{\"state\":\"RUNNING\",\"healthy\":true}\n");
            assertThat(error.statusCode()).isEqualTo(503);
            assertThat(error.body()).isEqualTo("{\"state\":\"ERROR\",\"healthy\":false,\"reason\":\"Kafka Streams is ERROR\"}\n");
            assertThat(get(server, "/other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aRebalanceLongerThanTheBoundIsA503WithItsReason() throws Exception {
        // bound 0 ms: the second probe of a REBALANCING app is already past it
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, 0, () -> KafkaStreams.State.REBALANCING, Map::of)) {
            HttpResponse<String> response = get(server, "/health");
            for (int probe = 0; probe < 1_000 && response.statusCode() == 200; probe++) {
                response = get(server, "/health");
            }
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).startsWith("{\"state\":\"REBALANCING\",\"healthy\":false,\"reason\":\"REBALANCING for ");
            assertThat(get(server, "/metrics").body()).contains("compliance_app_healthy 0\n");
        }
    }

    @Test
    void metricsAreNameTagsValueLines() throws Exception {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        metrics.put(new MetricName("process-rate", "stream-thread-metrics", "", Map.of("thread-id", "app-1")), metric(12.5));
        metrics.put(new MetricName("commit-total", "stream-thread-metrics", "", Map.of("thread-id", "app-1")), metric(3.0));
        metrics.put(new MetricName("version", "app-info", "", Map.of()), metric("4.3.1"));
        metrics.put(new MetricName("alive-stream-threads", "stream-metrics", "", Map.of()), metric(1));
        metrics.put(new MetricName("latency-avg", "stream-metrics", "", Map.of("quote", "a\"b")), metric(Double.NaN));

        try (HealthServer server = HealthServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, () -> metrics)) {
            HttpResponse<String> response = get(server, "/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("""
                    stream_metrics_alive_stream_threads 1
                    stream_metrics_latency_avg{quote="a\\"b"} NaN
                    stream_thread_metrics_commit_total{thread_id="app-1"} 3
                    stream_thread_metrics_process_rate{thread_id="app-1"} 12.5
                    compliance_app_healthy 1
                    compliance_app_seconds_since_progress 0
                    compliance_app_input_lag 0
                    """);
        }
    }

    @Test
    void inputLagCountsEachPartitionOnceAndOnlyTheMainConsumers() {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        String main = "app-StreamThread-1-consumer";
        // the consumer reports a dotted topic's partition twice: as named, and as a deprecated copy with '_'
        metrics.put(lag(main, "compliance.usage-events", "0"), metric(7.0));
        metrics.put(lag(main, "compliance_usage-events", "0"), metric(7.0));
        metrics.put(lag(main, "compliance.usage-events", "1"), metric(3.0));
        metrics.put(lag("app-StreamThread-1-restore-consumer", "app-store-changelog", "0"), metric(100.0));
        metrics.put(lag("app-global-consumer", "compliance.catalog", "0"), metric(50.0));

        assertThat(HealthServer.inputLag(metrics)).isEqualTo(10);
    }

    private static MetricName lag(String client, String topic, String partition) {
        return new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", client, "topic", topic, "partition", partition));
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Metric metric(Object value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }
}
