package dev.compliance.bench.api;

import dev.compliance.avro.UsageEvent;
import dev.compliance.bench.EventMix;
import dev.compliance.bench.TopologyHarness;
import dev.compliance.cli.api.LedgerApi;
import dev.compliance.cli.runtime.HealthServer;
import dev.compliance.streams.query.LedgerQueries;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ledger API's latency for an org with five years of history: {@code days} days (default 1,825) of
 * {@code perDay} events of one org plus as many spread over {@code orgs} others, through the whole topology
 * (TopologyTestDriver, the wall clock following the days so that expiry and history folding run); then the
 * API is served over HTTP on loopback (the real handler, the driver's stores) and each question is asked
 * {@code requests} times after a warm-up, one at a time. Prints p50, p99 and max per question. No assertion:
 * a figure to compare between builds (BENCHMARKS.md).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.compliance.bench.api.LedgerApiLatency [--days D] [--per-day K] [--orgs M] [--requests N]}
 */
public final class LedgerApiLatency {

    private LedgerApiLatency() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = new LinkedHashMap<>(Map.of("--days", 1825, "--per-day", 100, "--orgs", 50, "--requests", 300));
        for (int i = 0; i < args.length; i++) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("unknown argument '" + args[i] + "' (expected " + String.join(", ", o.keySet()) + " with a number)");
                System.exit(2);
            }
            o.put(args[i], Integer.parseInt(args[++i]));
        }
        run(o.get("--days"), o.get("--per-day"), o.get("--orgs"), o.get("--requests"));
    }

    static void run(int days, int perDay, int orgs, int requests) throws Exception {
        LocalDate last = LocalDate.parse("2026-12-01");
        LocalDate first = last.minusDays(days - 1L);
        EventMix mix = new EventMix(42, orgs);
        String org = mix.orgIds().get(0);
        long began = System.nanoTime();
        try (TopologyHarness harness = new TopologyHarness(first.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            harness.publish(mix.policies());
            long spacingMs = 86_400_000L / perDay;
            for (int d = 0; d < days; d++) {
                Instant dayStart = first.plusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant();
                for (int j = 0; j < perDay; j++) {
                    UsageEvent mine = mix.nextFor(0, dayStart.plusMillis(j * spacingMs));
                    harness.pipe(mine.getOrgId(), harness.encode(mine), mine.getEventTime());
                    UsageEvent other = mix.next(dayStart.plusMillis(j * spacingMs + 1));
                    harness.pipe(other.getOrgId(), harness.encode(other), other.getEventTime());
                }
                harness.driver.advanceWallClockTime(Duration.ofDays(1));
                harness.drain();
            }
            System.out.printf("%,d days, %,d events of %s and %,d over %d orgs, through the topology in %.1f s%n%n",
                    days, (long) days * perDay, org, (long) days * perDay, orgs, (System.nanoTime() - began) / 1e9);

            LedgerQueries queries = new LedgerQueries(new LedgerQueries.Stores() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return harness.driver.getKeyValueStore(name);
                }
            });
            try (HealthServer server = HealthServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, Map::of)) {
                server.register("/api/", LedgerApi.alone(queries, null,
                        Clock.fixed(last.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC), Duration.ofDays(400)));
                String base = "http://127.0.0.1:" + server.port();
                String o = URLEncoder.encode(org, StandardCharsets.UTF_8);
                Map<String, String> questions = new LinkedHashMap<>();
                questions.put("retention now", "/api/orgs/" + o + "/retention");
                questions.put("retention a year ago", "/api/orgs/" + o + "/retention?at=" + last.minusYears(1));
                questions.put("retention in two years", "/api/orgs/" + o + "/retention?at=" + last.plusYears(2));
                questions.put("violations, 90 days", "/api/orgs/" + o + "/violations");
                questions.put("violations, 400 days", "/api/orgs/" + o + "/violations?from=" + last.minusDays(399));
                questions.put("recent violations", "/api/violations/recent?size=50");
                questions.put("orgs", "/api/orgs");
                System.out.println("| question | bytes | p50 ms | p99 ms | max ms |");
                System.out.println("| --- | ---: | ---: | ---: | ---: |");
                HttpClient http = HttpClient.newHttpClient();
                for (var q : questions.entrySet()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + q.getValue())).GET().build();
                    int bytes = 0;
                    for (int i = 0; i < Math.max(20, requests / 10); i++) {
                        bytes = check(http.send(request, HttpResponse.BodyHandlers.ofString()), q.getValue()).length();
                    }
                    long[] nanos = new long[requests];
                    for (int i = 0; i < requests; i++) {
                        long t0 = System.nanoTime();
                        check(http.send(request, HttpResponse.BodyHandlers.ofString()), q.getValue());
                        nanos[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(nanos);
                    System.out.printf("| %s | %,d | %.2f | %.2f | %.2f |%n", q.getKey(), bytes, ms(nanos[requests / 2]),
                            ms(nanos[(int) Math.min(requests - 1, Math.ceil(requests * 0.99) - 1)]), ms(nanos[requests - 1]));
                }
            }
        }
    }

    private static String check(HttpResponse<String> response, String path) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
