package dev.compliance.producers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.producers.SourceException;
import dev.compliance.producers.feed.FeedCounters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pollers' /metrics listener and the exposition text it serves (the OTLP receiver's is in its own tests). */
class MetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void countersAreExposedInThePrometheusTextFormatEachFamilyAtZeroUntilItHappens() {
        FeedCounters counters = new FeedCounters("usage-report");
        assertThat(counters.prometheus()).contains(
                "# TYPE compliance_feed_corrections_total counter\n",
                "compliance_feed_corrections_total{source=\"usage-report\"} 0\n",
                "compliance_feed_last_poll_timestamp_seconds{source=\"usage-report\"} 0\n",
                "# TYPE compliance_feed_last_poll_timestamp_seconds gauge\n");
        counters.page();
        counters.read(3);
        counters.sent(2);
        counters.corrected(1);
        counters.unchanged();
        counters.polled(Instant.ofEpochSecond(1_775_000_000L));
        assertThat(counters.prometheus()).contains(
                "compliance_feed_pages_total{source=\"usage-report\"} 1\n",
                "compliance_feed_records_total{source=\"usage-report\"} 3\n",
                "compliance_feed_events_sent_total{source=\"usage-report\"} 2\n",
                "compliance_feed_corrections_total{source=\"usage-report\"} 1\n",
                "compliance_feed_unchanged_total{source=\"usage-report\"} 1\n",
                "compliance_feed_last_poll_timestamp_seconds{source=\"usage-report\"} 1775000000\n");
    }

    @Test
    void aLabelValueFromTheApiIsEscaped() {
        FeedCounters counters = new FeedCounters("compliance-api");
        counters.skipped("odd\"type\\with\nnewline", 2);
        assertThat(counters.prometheus()).contains(
                "compliance_feed_skipped_total{source=\"compliance-api\",activity_type=\"odd\\\"type\\\\with\\nnewline\"} 2\n");
        assertThat(counters.skippedByType()).containsEntry("odd\"type\\with\nnewline", 2L);
    }

    @Test
    void theListenerAnswersGetOnMetricsOnlyOnLoopback() throws Exception {
        FeedCounters counters = new FeedCounters("compliance-api");
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("compliance-api", "127.0.0.1", 0, counters::prometheus)) {
            assertThat(endpoint.url()).isEqualTo("http://127.0.0.1:" + endpoint.port() + "/metrics");
            counters.malformed();
            HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(endpoint.url())).build());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).contains("compliance_feed_malformed_total{source=\"compliance-api\"} 1\n");
            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET");
            HttpResponse<String> other = send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/health")).build());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aPortInUseIsOneLineNamingTheOption() {
        try (MetricsEndpoint first = MetricsEndpoint.start("usage-report", "127.0.0.1", 0, () -> "")) {
            assertThatThrownBy(() -> MetricsEndpoint.start("usage-report", "127.0.0.1", first.port(), () -> ""))
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("usage-report: cannot listen for /metrics on 127.0.0.1:" + first.port())
                    .hasMessageEndingWith("choose another --metrics-port");
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
