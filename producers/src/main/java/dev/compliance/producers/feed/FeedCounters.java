package dev.compliance.producers.feed;

import dev.compliance.producers.metrics.PrometheusText;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a poller (the Compliance API feed, the usage report) read and sent since it started, for its
 * {@code GET /metrics} ({@code --metrics-port}) and its final summary line. One source per process, named by the
 * {@code source} label, so one scrape configuration fits both. Updated by the polling thread, read by the metrics
 * thread.
 *
 * <p>Activities skipped on purpose (types that carry no content, see {@code ActivityMapper}) are counted by their
 * {@code activity_type}; records that cannot be read are counted as malformed (the poller also says so on its
 * output). A usage-report bucket read again with the same totals is counted as unchanged; one with new totals as a
 * correction (also counted in events sent).
 */
public final class FeedCounters {

    private final String source;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong corrections = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastPoll = new AtomicReference<>();

    public FeedCounters(String source) {
        this.source = source;
    }

    /** A poll reached the end of what there is to read, at {@code at}. */
    public void polled(Instant at) {
        polls.incrementAndGet();
        lastPoll.set(at);
    }

    public void page() {
        pages.incrementAndGet();
    }

    /** Records (activities, report results) read from a page. */
    public void read(long n) {
        records.addAndGet(n);
    }

    /** Events committed to compliance.usage-events. */
    public void sent(long n) {
        events.addAndGet(n);
    }

    public void skipped(String activityType, long n) {
        skipped.computeIfAbsent(activityType, k -> new AtomicLong()).addAndGet(n);
    }

    public void malformed() {
        malformed.incrementAndGet();
    }

    public void corrected(long n) {
        corrections.addAndGet(n);
    }

    public void unchanged() {
        unchanged.incrementAndGet();
    }

    public long pages() {
        return pages.get();
    }

    public long records() {
        return records.get();
    }

    public long events() {
        return events.get();
    }

    public long malformedCount() {
        return malformed.get();
    }

    public long corrections() {
        return corrections.get();
    }

    /** The skipped activities by type, sorted by type. */
    public Map<String, Long> skippedByType() {
        Map<String, Long> byType = new TreeMap<>();
        skipped.forEach((type, n) -> byType.put(type, n.get()));
        return byType;
    }

    /** The Prometheus text exposition; every family is listed, at 0 until it happens. */
    public String prometheus() {
        PrometheusText out = new PrometheusText();
        out.counter("compliance_feed_polls_total", "Polls that read to the end of what the API had.")
                .sample("compliance_feed_polls_total", polls.get(), "source", source);
        out.counter("compliance_feed_pages_total", "Pages read from the API.")
                .sample("compliance_feed_pages_total", pages.get(), "source", source);
        out.counter("compliance_feed_records_total", "Records read: activities, or usage-report results.")
                .sample("compliance_feed_records_total", records.get(), "source", source);
        out.counter("compliance_feed_events_sent_total", "Usage events committed to compliance.usage-events.")
                .sample("compliance_feed_events_sent_total", events.get(), "source", source);
        out.counter("compliance_feed_skipped_total", "Activities skipped on purpose (no content), by activity type.");
        skippedByType().forEach((type, n) ->
                out.sample("compliance_feed_skipped_total", n, "source", source, "activity_type", type));
        out.counter("compliance_feed_malformed_total", "Records that could not be read: not produced as events, kept in compliance.dead-letter with the reason.")
                .sample("compliance_feed_malformed_total", malformed.get(), "source", source);
        out.counter("compliance_feed_corrections_total",
                        "Usage-report buckets sent again with changed totals (same event id; it supersedes).")
                .sample("compliance_feed_corrections_total", corrections.get(), "source", source);
        out.counter("compliance_feed_unchanged_total", "Usage-report results read again with the same totals (not sent).")
                .sample("compliance_feed_unchanged_total", unchanged.get(), "source", source);
        Instant last = lastPoll.get();
        out.gauge("compliance_feed_last_poll_timestamp_seconds", "When the last poll ended (Unix time; 0: none yet).")
                .sample("compliance_feed_last_poll_timestamp_seconds", last == null ? 0 : last.getEpochSecond(),
                        "source", source);
        return out.toString();
    }
}
