package dev.compliance.producers.usagereport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.ApiUsage;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.FakeTime;
import dev.compliance.producers.Resources;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.feed.FeedPosition;
import dev.compliance.producers.feed.MemoryFeedStore;
import dev.compliance.producers.http.ApiClient;
import dev.compliance.producers.http.FakeAnthropicApi;
import dev.compliance.producers.http.FakeAnthropicApi.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The usage-report source against {@link FakeAnthropicApi} replaying the report rebuilt from the documented result
 * model (usagereport/README.md names the pages).
 */
class UsageReportSourceTest {

    static final String ORG = "org_01HZW2J8PX6Z7A";
    static final String NEXT_PAGE = "page_MjAyNi0wMy0wMlQxMTowMDowMFo=";
    static final String EMPTY = "{\"data\":[],\"has_more\":false,\"next_page\":null}";
    static final String KEY_A = "apikey_01Rj2N8SVvo6BePZj99NhmiT";
    static final String KEY_B = "apikey_01Kx9P2LmNoQrStUvWxYz012";
    static final String WORKSPACE = "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ";

    private final FakeAnthropicApi api = new FakeAnthropicApi();
    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    /** 13:20: with hourly buckets settled for an hour, the last complete bucket ends at 12:00. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T13:20:00Z"), ZoneOffset.UTC);
    /** Whether the 11:00 bucket has grown by late usage. */
    private final AtomicBoolean late = new AtomicBoolean(false);

    /** Replays the report: 09:00-11:00 on page 1, 11:00-12:00 on page 2 (the late read of it once late is set). */
    Reply recordedReport(FakeAnthropicApi.Request request) {
        if (NEXT_PAGE.equals(request.param("page")) || "2026-03-02T11:00:00Z".equals(request.param("starting_at"))) {
            return Reply.ok(Resources.text(late.get() ? "usagereport/messages-page-2-late.json" : "usagereport/messages-page-2.json"));
        }
        if ("2026-03-02T09:00:00Z".equals(request.param("starting_at"))) {
            return Reply.ok(Resources.text("usagereport/messages-page-1.json"));
        }
        return Reply.ok(EMPTY);
    }

    @AfterEach
    void close() {
        api.close();
    }

    private UsageReportOptions options() {
        return UsageReportOptions.of(api.baseUrl(), "sk-ant-admin01-test", ORG)
                .withRange(Instant.parse("2026-03-02T09:17:00Z"), "1h", Duration.ofHours(1))
                .withRetry(new ApiClient.RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    private UsageReportSource.Summary run(UsageReportOptions options, MemoryFeedStore store, Clock at) {
        return new UsageReportSource(options, store, progress::add, time, at).call();
    }

    private static Instant position(MemoryFeedStore store) {
        return ReportPosition.parse(store.lastCursor(UsageReportSource.SOURCE, ORG).orElseThrow()).position();
    }

    @Test
    void oneEventPerBucketAndGroupWithUsageCarryingTheDocumentedCounts() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        MemoryFeedStore store = new MemoryFeedStore();
        UsageReportSource.Summary summary = run(options(), store, clock);

        assertThat(summary.pages()).isEqualTo(2);
        assertThat(summary.buckets()).isEqualTo(3);
        assertThat(summary.events()).isEqualTo(6); // the dormant key's all-zero result gives none
        assertThat(summary.position()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
        assertThat(position(store)).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));

        List<UsageEvent> events = store.events();
        assertThat(events).extracting(e -> e.getApiUsage().getServiceTier()).containsExactly("standard", "batch",
                "priority_on_demand", "flex", "standard", "flex_discount");
        assertThat(events).extracting(UsageEvent::getFeature).containsExactly(Feature.MESSAGES_API,
                Feature.BATCH_API, Feature.MESSAGES_API, Feature.MESSAGES_API, Feature.MESSAGES_API, Feature.MESSAGES_API);
        assertThat(events).extracting(UsageEvent::getUserId).containsExactly(KEY_A, KEY_B, KEY_A, KEY_A, "unknown", KEY_B);
        assertThat(events).extracting(e -> e.getEventTime().toString()).containsExactly("2026-03-02T09:00:00Z",
                "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z",
                "2026-03-02T11:00:00Z");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getPlan()).isEqualTo(Plan.API);
            assertThat(e.getOrgId()).isEqualTo(ORG);
            assertThat(e.getSource()).isEqualTo(EventSource.ADMIN_USAGE_REPORT);
            assertThat(e.getEventId()).matches("usage-[0-9a-f]{32}");
            assertThat(e.getRequestCount()).isNull(); // the report has no request count
        });
        assertThat(events.stream().map(UsageEvent::getEventId).distinct()).hasSize(6);
        ApiUsage first = events.get(0).getApiUsage();
        assertThat(List.of(first.getUncachedInputTokens(), first.getCacheCreation5mInputTokens(),
                first.getCacheCreation1hInputTokens(), first.getCacheReadInputTokens(), first.getOutputTokens(),
                first.getWebSearchRequests())).containsExactly(182340L, 20480L, 0L, 409600L, 51220L, 12L);
        assertThat(first.getModel()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(first.getWorkspaceId()).isEqualTo(WORKSPACE);
        assertThat(first.getApiKeyId()).isEqualTo(KEY_A);
        ApiUsage console = events.get(4).getApiUsage();
        assertThat(console.getApiKeyId()).isNull();    // Console usage, as the report says: no made-up key
        assertThat(console.getWorkspaceId()).isNull(); // the default workspace

        FakeAnthropicApi.Request firstRequest = api.requests().get(0);
        assertThat(firstRequest.headers()).containsEntry("x-api-key", "sk-ant-admin01-test")
                .containsEntry("anthropic-version", "2023-06-01");
        assertThat(firstRequest.param("starting_at")).isEqualTo("2026-03-02T09:00:00Z"); // aligned to the bucket
        assertThat(firstRequest.param("ending_at")).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(firstRequest.param("bucket_width")).isEqualTo("1h");
        assertThat(firstRequest.query().get("group_by[]")).containsExactly("workspace_id", "api_key_id",
                "service_tier", "model");
        assertThat(firstRequest.param("page")).isNull();
        assertThat(api.requests().get(1).param("page")).isEqualTo(NEXT_PAGE);
    }

    @Test
    void theSameBucketGivesTheSameEventIds() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        MemoryFeedStore once = new MemoryFeedStore();
        MemoryFeedStore twice = new MemoryFeedStore();
        run(options(), once, clock);
        run(options(), twice, clock);
        assertThat(twice.events()).isEqualTo(once.events());
    }

    @Test
    void aLateCorrectionOfABucketIsSentOnceWithTheSameEventIdAndTheNewTotals() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store, clock);
        UsageEvent before = store.events().get(4);
        assertThat(before.getApiUsage().getOutputTokens()).isEqualTo(8800);

        UsageReportSource.Summary unchanged = run(options(), store, Clock.offset(clock, Duration.ofMinutes(10)));
        assertThat(unchanged.events()).isZero(); // the window was read again: nothing changed, nothing sent
        assertThat(api.requests().get(2).param("starting_at")).isEqualTo("2026-03-02T09:00:00Z");

        late.set(true);
        int commits = store.commits();
        UsageReportSource source = new UsageReportSource(options(), store, progress::add, time,
                Clock.offset(clock, Duration.ofMinutes(20)));
        UsageReportSource.Summary corrected = source.call();
        assertThat(corrected.events()).isEqualTo(1);
        assertThat(source.counters().prometheus()).contains(
                "compliance_feed_corrections_total{source=\"usage-report\"} 1\n",
                "compliance_feed_events_sent_total{source=\"usage-report\"} 1\n",
                "compliance_feed_unchanged_total{source=\"usage-report\"} 5\n"); // the window's other 5 results
        assertThat(corrected.corrections()).isEqualTo(1);
        UsageEvent correction = store.events().get(6);
        assertThat(correction.getEventId()).isEqualTo(before.getEventId());
        assertThat(correction.getApiUsage().getOutputTokens()).isEqualTo(9650);
        assertThat(store.commits()).isEqualTo(commits + 1);
        assertThat(progress).contains("usage-report: page 2: 1 buckets, 1 events (1 corrections), position 2026-03-02T12:00:00Z");

        assertThat(run(options(), store, Clock.offset(clock, Duration.ofMinutes(30))).events()).isZero();
        assertThat(store.events()).hasSize(7);
    }

    @Test
    void aRestartAfterAFailedCommitNeitherRepeatsNorLosesABucket() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        AtomicBoolean crash = new AtomicBoolean(true);
        MemoryFeedStore store = new MemoryFeedStore() {
            @Override
            public synchronized void commit(List<UsageEvent> events, FeedPosition position) {
                if (ReportPosition.parse(position.cursor()).position().equals(Instant.parse("2026-03-02T12:00:00Z"))
                        && crash.getAndSet(false)) {
                    throw new SourceException("transaction aborted");
                }
                super.commit(events, position);
            }
        };
        assertThatThrownBy(() -> run(options(), store, clock)).isInstanceOf(SourceException.class);
        assertThat(position(store)).isEqualTo(Instant.parse("2026-03-02T11:00:00Z"));
        assertThat(store.events()).hasSize(4);

        run(options(), store, clock);
        assertThat(progress).contains("usage-report: resuming at 2026-03-02T11:00:00Z");
        MemoryFeedStore uninterrupted = new MemoryFeedStore();
        run(options(), uninterrupted, clock);
        assertThat(store.events()).isEqualTo(uninterrupted.events());
    }

    @Test
    void aPositionStoredByTheEarlierVersionIsRead() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        MemoryFeedStore store = new MemoryFeedStore();
        store.commit(List.of(), new FeedPosition(UsageReportSource.SOURCE, ORG, "2026-03-02T11:00:00Z", clock.instant()));
        run(options(), store, clock);
        assertThat(api.requests().get(0).param("starting_at")).isEqualTo("2026-03-02T11:00:00Z");
        assertThat(store.events()).hasSize(2);
    }

    /** Without --starting-at: 7 days back, but not before the first whole bucket the store keeps long enough. */
    @Test
    void theFirstRunStartsNoFurtherBackThanTheStoreKeepsEvents() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        UsageReportOptions fromDefault = options().withRange(null, "1h", Duration.ofHours(1));
        run(fromDefault, new MemoryFeedStore(), clock);
        assertThat(api.requests().get(0).param("starting_at")).isEqualTo("2026-02-23T13:00:00Z");

        MemoryFeedStore keepsAWeek = new MemoryFeedStore() {
            @Override
            public Optional<Instant> oldestKept(Instant now) {
                return Optional.of(now.minus(Duration.ofDays(7)).plus(Duration.ofHours(1))); // 2026-02-23T14:20
            }
        };
        run(fromDefault, keepsAWeek, clock);
        assertThat(api.requests().get(1).param("starting_at")).isEqualTo("2026-02-23T15:00:00Z");
    }

    @Test
    void withoutARereadWindowNothingIsReadWhileTheNextBucketHasNotSettled() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        MemoryFeedStore store = new MemoryFeedStore();
        UsageReportOptions once = options().withReread(Duration.ZERO);
        run(once, store, clock);
        int requests = api.requests().size();
        run(once, store, Clock.offset(clock, Duration.ofMinutes(30))); // 13:50: the 12:00-13:00 bucket is not settled
        assertThat(api.requests()).hasSize(requests);
        run(once, store, Clock.offset(clock, Duration.ofMinutes(45))); // 14:05: it is
        assertThat(api.requests()).hasSize(requests + 1);
        assertThat(api.requests().get(requests).param("starting_at")).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(position(store)).isEqualTo(Instant.parse("2026-03-02T13:00:00Z"));
    }

    @Test
    void anUndocumentedServiceTierIsCountedAsMessagesApiAndSaidOnce() {
        api.on(UsageReportSource.PATH, request -> Reply.ok(Resources.text("usagereport/messages-page-2.json")
                .replace("flex_discount", "turbo")));
        MemoryFeedStore store = new MemoryFeedStore();
        run(options().withRange(Instant.parse("2026-03-02T11:00:00Z"), "1h", Duration.ofHours(1)), store, clock);
        assertThat(store.events()).extracting(UsageEvent::getFeature).containsOnly(Feature.MESSAGES_API);
        assertThat(progress).containsOnlyOnce("usage-report: service_tier 'turbo' is not documented; its usage is"
                + " counted as MESSAGES_API");
    }

    @Test
    void retriesRateLimitsAndServerErrors() {
        api.on(UsageReportSource.PATH, this::recordedReport);
        api.failNext(new Reply(429, "{}", Map.of("retry-after", "20")), Reply.status(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store, clock);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(4));
        assertThat(store.events()).hasSize(6);
    }

    @Test
    void aRefusedKeyIsNamed() {
        api.failNext(Reply.status(403, "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"This endpoint requires an Admin API key\"}}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore(), clock))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("usage-report: the API key was refused (403 permission_error)")
                .hasMessageEndingWith("This endpoint requires an Admin API key");
    }

    @Test
    void badOptionsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> options().withRange(null, "5m", Duration.ZERO))
                .isInstanceOf(SourceException.class)
                .hasMessage("usage-report: bucket width must be 1m, 1h or 1d, got 5m");
        assertThatThrownBy(() -> new UsageReportOptions(api.baseUrl(), "k", ORG, "2023-06-01", null, "1h",
                List.of("team"), Duration.ZERO, Duration.ZERO, false, Duration.ofMinutes(1), dev.compliance.avro.DataClass.INTERNAL,
                ApiClient.RetryPolicy.defaults()))
                .hasMessageStartingWith("usage-report: cannot group by 'team'");
        assertThat(options().toString()).doesNotContain("sk-ant-admin01-test");
    }
}
