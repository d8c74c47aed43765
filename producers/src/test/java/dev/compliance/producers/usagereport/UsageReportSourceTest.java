package dev.compliance.producers.usagereport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class UsageReportSourceTest {

    static final String ORG = "org_01HZW2J8PX6Z7A";
    static final String NEXT_PAGE = "page_MjAyNi0wMy0wMlQxMTowMDowMFo=";
    static final String EMPTY = "{\"data\":[],\"has_more\":false,\"next_page\":null}";

    private final FakeAnthropicApi api = new FakeAnthropicApi();
    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    /** 13:20: with hourly buckets settled for an hour, the last complete bucket ends at 12:00. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T13:20:00Z"), ZoneOffset.UTC);

    /** Replays the recorded report: 09:00-11:00 on page 1, 11:00-12:00 on page 2. */
    static Reply recordedReport(FakeAnthropicApi.Request request) {
        if (NEXT_PAGE.equals(request.param("page")) || "2026-03-02T11:00:00Z".equals(request.param("starting_at"))) {
            return Reply.ok(Resources.text("usagereport/messages-page-2.json"));
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

    @Test
    void oneEventPerBucketAndGroupWithUsage() {
        api.on(UsageReportSource.PATH, UsageReportSourceTest::recordedReport);
        MemoryFeedStore store = new MemoryFeedStore();
        UsageReportSource.Summary summary = run(options(), store, clock);

        assertThat(summary.pages()).isEqualTo(2);
        assertThat(summary.buckets()).isEqualTo(3);
        assertThat(summary.events()).isEqualTo(5); // the dormant key's all-zero result gives none
        assertThat(summary.position()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
        assertThat(store.lastCursor(UsageReportSource.SOURCE, ORG)).hasValue("2026-03-02T12:00:00Z");

        List<UsageEvent> events = store.events();
        assertThat(events).extracting(UsageEvent::getFeature).containsExactly(Feature.MESSAGES_API,
                Feature.BATCH_API, Feature.MESSAGES_API, Feature.MESSAGES_API, Feature.BATCH_API);
        assertThat(events).extracting(UsageEvent::getRequestCount).containsExactly(214L, 4000L, 97L, null, 650L);
        assertThat(events).extracting(UsageEvent::getUserId).containsExactly("apikey_01Rj2N8SVvo6BePZj99NhmiT",
                "apikey_01Kx9P2LmNoQrStUvWxYz012", "apikey_01Rj2N8SVvo6BePZj99NhmiT", "wrkspc_01Default00000000000000",
                "apikey_01Kx9P2LmNoQrStUvWxYz012");
        assertThat(events).extracting(e -> e.getEventTime().toString()).containsExactly("2026-03-02T09:00:00Z",
                "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", "2026-03-02T11:00:00Z");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getPlan()).isEqualTo(Plan.API);
            assertThat(e.getOrgId()).isEqualTo(ORG);
            assertThat(e.getSource()).isEqualTo(EventSource.ADMIN_USAGE_REPORT);
            assertThat(e.getEventId()).matches("usage-[0-9a-f]{32}");
        });
        assertThat(events.stream().map(UsageEvent::getEventId).distinct()).hasSize(5);

        FakeAnthropicApi.Request first = api.requests().get(0);
        assertThat(first.headers()).containsEntry("x-api-key", "sk-ant-admin01-test")
                .containsEntry("anthropic-version", "2023-06-01");
        assertThat(first.param("starting_at")).isEqualTo("2026-03-02T09:00:00Z"); // aligned to the bucket
        assertThat(first.param("ending_at")).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(first.param("bucket_width")).isEqualTo("1h");
        assertThat(first.query().get("group_by[]")).containsExactly("workspace_id", "api_key_id", "service_tier");
        assertThat(first.param("page")).isNull();
        assertThat(api.requests().get(1).param("page")).isEqualTo(NEXT_PAGE);
    }

    @Test
    void theSameBucketGivesTheSameEventIds() {
        api.on(UsageReportSource.PATH, UsageReportSourceTest::recordedReport);
        MemoryFeedStore once = new MemoryFeedStore();
        MemoryFeedStore twice = new MemoryFeedStore();
        run(options(), once, clock);
        run(options(), twice, clock);
        assertThat(twice.events()).isEqualTo(once.events());
    }

    @Test
    void aRestartAfterAFailedCommitResumesAtTheLastCommittedBucket() {
        api.on(UsageReportSource.PATH, UsageReportSourceTest::recordedReport);
        AtomicBoolean crash = new AtomicBoolean(true);
        MemoryFeedStore store = new MemoryFeedStore() {
            @Override
            public synchronized void commit(List<UsageEvent> events, FeedPosition position) {
                if (position.cursor().equals("2026-03-02T12:00:00Z") && crash.getAndSet(false)) {
                    throw new SourceException("transaction aborted");
                }
                super.commit(events, position);
            }
        };
        assertThatThrownBy(() -> run(options(), store, clock)).isInstanceOf(SourceException.class);
        assertThat(store.lastCursor(UsageReportSource.SOURCE, ORG)).hasValue("2026-03-02T11:00:00Z");
        assertThat(store.events()).hasSize(3);

        run(options(), store, clock);
        assertThat(progress).contains("usage-report: resuming at 2026-03-02T11:00:00Z");
        assertThat(api.requests().get(api.requests().size() - 1).param("starting_at")).isEqualTo("2026-03-02T11:00:00Z");
        MemoryFeedStore uninterrupted = new MemoryFeedStore();
        run(options(), uninterrupted, clock);
        assertThat(store.events()).isEqualTo(uninterrupted.events());
    }

    /** Without --starting-at: 7 days back, but not before the first whole bucket the store keeps long enough. */
    @Test
    void theFirstRunStartsNoFurtherBackThanTheStoreKeepsEvents() {
        api.on(UsageReportSource.PATH, UsageReportSourceTest::recordedReport);
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
    void nothingIsReadWhileTheNextBucketHasNotSettled() {
        api.on(UsageReportSource.PATH, UsageReportSourceTest::recordedReport);
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store, clock);
        int requests = api.requests().size();
        run(options(), store, Clock.offset(clock, Duration.ofMinutes(30))); // 13:50: the 12:00-13:00 bucket is not settled
        assertThat(api.requests()).hasSize(requests);
        run(options(), store, Clock.offset(clock, Duration.ofMinutes(45))); // 14:05: it is
        assertThat(api.requests()).hasSize(requests + 1);
        assertThat(api.requests().get(requests).param("starting_at")).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(store.lastCursor(UsageReportSource.SOURCE, ORG)).hasValue("2026-03-02T13:00:00Z");
    }

    @Test
    void retriesRateLimitsAndServerErrors() {
        api.on(UsageReportSource.PATH, UsageReportSourceTest::recordedReport);
        api.failNext(new Reply(429, "{}", Map.of("retry-after", "20")), Reply.status(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store, clock);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(4));
        assertThat(store.events()).hasSize(5);
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
                List.of("team"), Duration.ZERO, false, Duration.ofMinutes(1), dev.compliance.avro.DataClass.INTERNAL,
                ApiClient.RetryPolicy.defaults()))
                .hasMessageStartingWith("usage-report: cannot group by 'team'");
        assertThat(options().toString()).doesNotContain("sk-ant-admin01-test");
    }
}
