package dev.compliance.producers.usagereport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.Waiter;
import dev.compliance.producers.feed.FeedCounters;
import dev.compliance.producers.feed.FeedPosition;
import dev.compliance.producers.feed.FeedStore;
import dev.compliance.producers.http.ApiClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ./compliance produce usage-report}: reads the Admin API's messages usage report
 * (GET /v1/organizations/usage_report/messages; platform.claude.com {@code api/admin/usage_report/retrieve_messages}
 * and {@code build-with-claude/usage-cost-api}) bucket by bucket and commits each page's events together with the new
 * position (see {@link FeedStore}, {@link ReportPosition}).
 *
 * <p>Each poll reads from the position minus the re-read window ({@code --reread}) up to the last bucket that ended
 * at least {@code --settle} ago. The docs give no moment after which a bucket is final (data "typically within 5
 * minutes ... delays may occasionally be longer"), so buckets already read are read again: a bucket and group seen
 * for the first time is sent; one whose totals changed is sent again with the same event id and its new totals (a
 * correction, which supersedes the earlier event: see the ApiUsage doc); one with the same totals sends nothing. What
 * was sent for the window is part of the committed position, so a restart sends neither a repeat nor misses a
 * correction. A change to a bucket older than the window is not seen.
 *
 * <p>Why this endpoint and not {@code GET /v1/organizations/analytics/usage}, which the docs now recommend for new
 * integrations (the messages usage report is marked "[Legacy]"): the stored copies of the docs give this endpoint's
 * full result model, but for the analytics endpoint only its beta path and type names, no response example to build
 * and test an adapter against. The legacy endpoint is still documented and served; moving is a follow-up.
 */
public class UsageReportSource {

    public static final String SOURCE = "usage-report";
    static final String PATH = "/v1/organizations/usage_report/messages";

    private final UsageReportOptions options;
    private final FeedStore store;
    private final Progress progress;
    private final Waiter waiter;
    private final Clock clock;
    private final FeedCounters counts;

    /** What a run did: events counts every event sent, corrections those that replaced an earlier one. */
    public record Summary(long pages, long buckets, long events, long corrections, Instant position) {
    }

    public UsageReportSource(UsageReportOptions options, FeedStore store, Progress progress, Waiter waiter,
                             Clock clock) {
        this(options, store, progress, waiter, clock, new FeedCounters(SOURCE));
    }

    /** @param counts where the source counts what it reads and sends (its {@code /metrics}) */
    public UsageReportSource(UsageReportOptions options, FeedStore store, Progress progress, Waiter waiter,
                             Clock clock, FeedCounters counts) {
        this.options = options;
        this.store = store;
        this.progress = progress;
        this.waiter = waiter;
        this.clock = clock;
        this.counts = counts;
    }

    /** What this source read and sent so far, for {@code /metrics}. */
    public FeedCounters counters() {
        return counts;
    }

    public Summary call() {
        ApiClient api = new ApiClient(SOURCE, options.baseUrl(),
                Map.of("x-api-key", options.apiKey(), "anthropic-version", options.anthropicVersion()),
                waiter, progress, options.retry());
        UsageReportMapper mapper = new UsageReportMapper(options.orgId(), options.bucketWidth(),
                options.defaultDataClass());
        Optional<String> stored = store.lastCursor(SOURCE, options.orgId());
        ReportPosition at = stored.map(ReportPosition::parse).orElseGet(() -> ReportPosition.start(firstBucket()));
        progress.report(stored.isPresent()
                ? "usage-report: resuming at " + at.position()
                : "usage-report: no stored position; reading from " + at.position());
        long buckets = 0;
        Set<String> unknownTiers = new TreeSet<>();
        try {
            while (true) {
                Instant end = align(clock.instant().minus(options.settle()));
                Instant start = latest(at.from(), align(at.position().minus(options.reread())));
                String pageToken = null;
                while (end.isAfter(start)) {
                    JsonNode page = api.get(PATH, query(start, end, pageToken));
                    JsonNode data = page.path("data");
                    if (!data.isArray()) {
                        throw new SourceException("usage-report: the answer of " + PATH + " has no data array");
                    }
                    List<UsageEvent> events = new ArrayList<>();
                    Map<String, ReportPosition.Sent> sent = new HashMap<>();
                    long corrected = 0;
                    Instant pageEnd = at.position();
                    for (JsonNode bucket : data) {
                        Instant bucketStart = instant(bucket, "starting_at");
                        for (JsonNode result : bucket.path("results")) {
                            counts.read(1);
                            Optional<UsageEvent> mapped = mapper.map(bucketStart, result);
                            if (mapped.isEmpty()) {
                                continue;
                            }
                            UsageEvent event = mapped.get();
                            String hash = ReportPosition.hash(UsageReportMapper.totals(event.getApiUsage()));
                            ReportPosition.Sent before = at.sent().get(event.getEventId());
                            if (before != null && before.totalsHash().equals(hash)) {
                                counts.unchanged();
                                continue;
                            }
                            corrected += before == null ? 0 : 1;
                            if (!UsageReportMapper.knownTier(event) && unknownTiers.add(event.getApiUsage().getServiceTier())) {
                                progress.report("usage-report: service_tier '" + event.getApiUsage().getServiceTier()
                                        + "' is not documented; its usage is counted as MESSAGES_API");
                            }
                            events.add(event);
                            sent.put(event.getEventId(), new ReportPosition.Sent(bucketStart, hash));
                        }
                        pageEnd = latest(pageEnd, instant(bucket, "ending_at"));
                        buckets++;
                    }
                    boolean hasMore = page.path("has_more").asBoolean(false);
                    String next = page.path("next_page").isTextual() ? page.path("next_page").asText() : null;
                    if (hasMore && next == null) {
                        throw new SourceException("usage-report: the answer says has_more but gives no next_page");
                    }
                    Instant newPosition = latest(at.position(), hasMore ? pageEnd : end);
                    if (!events.isEmpty() || newPosition.isAfter(at.position())) {
                        ReportPosition advanced = at.advance(newPosition, sent, align(newPosition.minus(options.reread())));
                        store.commit(events, new FeedPosition(SOURCE, options.orgId(), advanced.toCursor(),
                                clock.instant()));
                        at = advanced;
                    }
                    counts.page();
                    counts.sent(events.size());
                    counts.corrected(corrected);
                    progress.report(String.format("usage-report: page %d: %d buckets, %d events (%d corrections),"
                            + " position %s", counts.pages(), data.size(), events.size(), corrected, at.position()));
                    if (!hasMore) {
                        break;
                    }
                    pageToken = next;
                }
                counts.polled(clock.instant());
                if (!options.follow() || !waiter.await(options.pollInterval())) {
                    break;
                }
            }
        } catch (ApiClient.Stopped stopped) {
            progress.report("usage-report: stopped while waiting to retry");
        }
        progress.report(String.format("usage-report: done: %d pages, %d buckets, %d events (%d corrections),"
                + " position %s", counts.pages(), buckets, counts.events(), counts.corrections(), at.position()));
        return new Summary(counts.pages(), buckets, counts.events(), counts.corrections(), at.position());
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

    /**
     * Where the very first run starts: --starting-at, else 7 days ago, but no further back than the store keeps events
     * (only limited when compliance.usage-events counts retention from event time: see EventRetention).
     */
    private Instant firstBucket() {
        if (options.startingAt() != null) {
            return align(options.startingAt());
        }
        Instant now = clock.instant();
        Instant weekAgo = align(now.minus(Duration.ofDays(7)));
        return store.oldestKept(now).filter(kept -> kept.isAfter(weekAgo))
                .map(kept -> align(kept.plus(options.width()).minusMillis(1)))
                .orElse(weekAgo);
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

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
