package dev.compliance.producers.usagereport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.Waiter;
import dev.compliance.producers.feed.FeedPosition;
import dev.compliance.producers.feed.FeedStore;
import dev.compliance.producers.http.ApiClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./compliance produce usage-report}: reads the Admin API's messages usage report
 * (GET /v1/organizations/usage_report/messages) bucket by bucket, from the stored position (the end of the last
 * bucket produced) up to the last bucket that ended at least {@code settle} ago, and commits each page's events
 * together with the new position (see {@link FeedStore}). Buckets are never read twice, so the counts are not
 * counted twice.
 */
public class UsageReportSource {

    public static final String SOURCE = "usage-report";
    static final String PATH = "/v1/organizations/usage_report/messages";

    private final UsageReportOptions options;
    private final FeedStore store;
    private final Progress progress;
    private final Waiter waiter;
    private final Clock clock;

    /** What a run did. */
    public record Summary(long pages, long buckets, long events, Instant position) {
    }

    public UsageReportSource(UsageReportOptions options, FeedStore store, Progress progress, Waiter waiter,
                             Clock clock) {
        this.options = options;
        this.store = store;
        this.progress = progress;
        this.waiter = waiter;
        this.clock = clock;
    }

    public Summary call() {
        ApiClient api = new ApiClient(SOURCE, options.baseUrl(),
                Map.of("x-api-key", options.apiKey(), "anthropic-version", options.anthropicVersion()),
                waiter, progress, options.retry());
        UsageReportMapper mapper = new UsageReportMapper(options.orgId(), options.bucketWidth(),
                options.defaultDataClass());
        Optional<String> stored = store.lastCursor(SOURCE, options.orgId());
        Instant position = stored.map(UsageReportSource::parsePosition).orElseGet(
                () -> align(options.startingAt() != null ? options.startingAt() : clock.instant().minus(Duration.ofDays(7))));
        progress.report(stored.isPresent()
                ? "usage-report: resuming at " + position
                : "usage-report: no stored position; reading from " + position);
        long pages = 0;
        long buckets = 0;
        long produced = 0;
        try {
            while (true) {
                Instant end = align(clock.instant().minus(options.settle()));
                String pageToken = null;
                while (end.isAfter(position)) {
                    JsonNode page = api.get(PATH, query(position, end, pageToken));
                    JsonNode data = page.path("data");
                    if (!data.isArray()) {
                        throw new SourceException("usage-report: the answer of " + PATH + " has no data array");
                    }
                    List<UsageEvent> events = new ArrayList<>();
                    Instant pageEnd = position;
                    for (JsonNode bucket : data) {
                        Instant start = instant(bucket, "starting_at");
                        Instant bucketEnd = instant(bucket, "ending_at");
                        for (JsonNode result : bucket.path("results")) {
                            mapper.map(start, result).ifPresent(events::add);
                        }
                        pageEnd = bucketEnd.isAfter(pageEnd) ? bucketEnd : pageEnd;
                        buckets++;
                    }
                    boolean hasMore = page.path("has_more").asBoolean(false);
                    String next = page.path("next_page").isTextual() ? page.path("next_page").asText() : null;
                    if (hasMore && next == null) {
                        throw new SourceException("usage-report: the answer says has_more but gives no next_page");
                    }
                    Instant newPosition = hasMore ? pageEnd : end;
                    if (newPosition.isAfter(position)) {
                        store.commit(events, new FeedPosition(SOURCE, options.orgId(), newPosition.toString(),
                                clock.instant()));
                        position = newPosition;
                    }
                    pages++;
                    produced += events.size();
                    progress.report(String.format("usage-report: page %d: %d buckets, %d events, position %s",
                            pages, data.size(), events.size(), position));
                    if (!hasMore) {
                        break;
                    }
                    pageToken = next;
                }
                if (!options.follow() || !waiter.await(options.pollInterval())) {
                    break;
                }
            }
        } catch (ApiClient.Stopped stopped) {
            progress.report("usage-report: stopped while waiting to retry");
        }
        progress.report(String.format("usage-report: done: %d buckets, %d events, position %s", buckets, produced, position));
        return new Summary(pages, buckets, produced, position);
    }

    private List<Map.Entry<String, String>> query(Instant start, Instant end, String pageToken) {
        List<Map.Entry<String, String>> query = new ArrayList<>();
        query.add(new SimpleEntry<>("starting_at", start.toString()));
        query.add(new SimpleEntry<>("ending_at", end.toString()));
        query.add(new SimpleEntry<>("bucket_width", options.bucketWidth()));
        for (String group : options.groupBy()) {
            query.add(new SimpleEntry<>("group_by[]", group));
        }
        if (pageToken != null) {
            query.add(new SimpleEntry<>("page", pageToken));
        }
        return query;
    }

    /** The start of the bucket that holds {@code instant} (buckets are aligned to UTC). */
    private Instant align(Instant instant) {
        long width = options.width().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), width) * width);
    }

    private static Instant instant(JsonNode bucket, String field) {
        try {
            return Instant.parse(bucket.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw new SourceException("usage-report: a bucket's " + field + " '" + bucket.path(field).asText("")
                    + "' is not an ISO-8601 instant");
        }
    }

    private static Instant parsePosition(String cursor) {
        try {
            return Instant.parse(cursor);
        } catch (DateTimeParseException e) {
            throw new SourceException("usage-report: the stored position '" + cursor + "' is not an instant");
        }
    }
}
