package dev.compliance.producers.complianceapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.Action;
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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComplianceApiSourceTest {

    static final String LAST_OF_PAGE_1 = "act_01JN8Q4V7T2K9M3X5B6C7D8E9J";
    static final String LAST_OF_PAGE_2 = "act_01JN8Q6A1B2C3D4E5F6G7H8J9Q";
    static final String LAST_OF_PAGE_3 = "act_01JN8Q9Z8Y7X6W5V4T3S2R1Q0S";
    static final String EMPTY_PAGE = "{\"data\":[],\"has_more\":false,\"first_id\":null,\"last_id\":null}";
    static final String ORG = "org_01HZW2J8PX6Z7A";

    private final FakeAnthropicApi api = new FakeAnthropicApi();
    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-03T00:00:00Z"), ZoneOffset.UTC);

    /** Replays the recorded feed: page 1, 2, 3, then empty pages. */
    static FakeAnthropicApi.Reply recordedFeed(FakeAnthropicApi.Request request) {
        String after = request.param("after_id");
        if (after == null) {
            return Reply.ok(Resources.text("complianceapi/activities-page-1.json"));
        }
        return switch (after) {
            case LAST_OF_PAGE_1 -> Reply.ok(Resources.text("complianceapi/activities-page-2.json"));
            case LAST_OF_PAGE_2 -> Reply.ok(Resources.text("complianceapi/activities-page-3.json"));
            default -> Reply.ok(EMPTY_PAGE);
        };
    }

    @AfterEach
    void close() {
        api.close();
    }

    private ComplianceApiOptions options() {
        return ComplianceApiOptions.of(api.baseUrl(), "sk-ant-admin01-test-key", ORG)
                .withRetry(new ApiClient.RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }

    private ComplianceApiSource.Summary run(ComplianceApiOptions options, MemoryFeedStore store) {
        return new ComplianceApiSource(options, store, progress::add, time, clock).call();
    }

    @Test
    void readsEveryPageAndMapsActivities() {
        api.on(ComplianceApiSource.PATH, ComplianceApiSourceTest::recordedFeed);
        MemoryFeedStore store = new MemoryFeedStore();
        ComplianceApiSource.Summary summary = run(options(), store);

        assertThat(summary.pages()).isEqualTo(3);
        assertThat(summary.activities()).isEqualTo(13);
        assertThat(summary.events()).isEqualTo(10);
        assertThat(summary.skippedByType()).isEqualTo(Map.of("user_signed_in", 1L, "sso_settings_updated", 1L));
        assertThat(summary.malformed()).isEqualTo(1);
        assertThat(store.commits()).isEqualTo(3);
        assertThat(store.lastCursor(ComplianceApiSource.SOURCE, ORG)).hasValue(LAST_OF_PAGE_3);

        List<UsageEvent> events = store.events();
        assertThat(events).extracting(UsageEvent::getFeature).containsExactly(
                Feature.CHAT, Feature.CHAT, Feature.PROJECTS,
                Feature.FILES_API, Feature.COWORK, Feature.MCP_INTEGRATION, Feature.MCP_INTEGRATION, Feature.CHAT,
                Feature.PROJECTS, Feature.FILES_API);
        assertThat(events).extracting(UsageEvent::getAction).containsExactly(
                Action.USE, Action.USE, Action.USE, Action.USE, Action.USE, Action.USE, Action.USE, Action.DELETE,
                Action.DELETE, Action.DELETE);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getPlan()).isEqualTo(Plan.ENTERPRISE);
            assertThat(e.getSource()).isEqualTo(EventSource.COMPLIANCE_API);
            assertThat(e.getOrgId()).isEqualTo(ORG);
            assertThat(e.getEventId()).startsWith("capi-act_");
        });
        UsageEvent first = events.get(0);
        assertThat(first.getEventId()).isEqualTo("capi-act_01JN8Q4V7T2K9M3X5B6C7D8E9F");
        assertThat(first.getEventTime()).isEqualTo(Instant.parse("2026-03-02T09:00:01.120Z"));
        assertThat(first.getUserId()).isEqualTo("maria.lopez@globex-legal.example");
        assertThat(first.getResourceId()).isEqualTo("chat_9f2c1e7a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        UsageEvent chatDeleted = events.get(7);
        assertThat(chatDeleted.getResourceId()).isEqualTo(first.getResourceId());
        UsageEvent fileDeletedByKey = events.get(9);
        assertThat(fileDeletedByKey.getUserId()).isEqualTo("apikey_01Rj2N8SVvo6BePZj99NhmiT");
        assertThat(events.get(4).getSessionId()).isEqualTo("cowork_7a6b5c4d");

        List<FakeAnthropicApi.Request> requests = api.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("x-api-key", "sk-ant-admin01-test-key");
            assertThat(r.param("limit")).isEqualTo("1000");
        });
        assertThat(requests).extracting(r -> r.param("after_id")).containsExactly(null, LAST_OF_PAGE_1, LAST_OF_PAGE_2);
        assertThat(progress).anyMatch(line -> line.contains("skipped types {sso_settings_updated=1, user_signed_in=1}"));
        assertThat(progress).anyMatch(line -> line.contains("created_at 'yesterday' is not an ISO-8601 instant"));
    }

    @Test
    void aRestartInTheMiddleOfTheFeedNeitherSkipsNorRepeats() {
        api.on(ComplianceApiSource.PATH, ComplianceApiSourceTest::recordedFeed);
        AtomicBoolean crash = new AtomicBoolean(true);
        MemoryFeedStore store = new MemoryFeedStore() {
            @Override
            public synchronized void commit(List<UsageEvent> events, FeedPosition position) {
                if (position.cursor().equals(LAST_OF_PAGE_2) && crash.getAndSet(false)) {
                    throw new SourceException("broker went away: transaction aborted");
                }
                super.commit(events, position);
            }
        };
        assertThatThrownBy(() -> run(options(), store)).isInstanceOf(SourceException.class);
        assertThat(store.events()).hasSize(3);
        assertThat(store.lastCursor(ComplianceApiSource.SOURCE, ORG)).hasValue(LAST_OF_PAGE_1);

        ComplianceApiSource.Summary second = run(options(), store);
        assertThat(second.events()).isEqualTo(7);
        assertThat(progress).contains("compliance-api: resuming after activity " + LAST_OF_PAGE_1);
        List<String> ids = store.events().stream().map(UsageEvent::getEventId).toList();
        assertThat(ids).hasSize(10).doesNotHaveDuplicates();
        MemoryFeedStore uninterrupted = new MemoryFeedStore();
        run(options(), uninterrupted);
        assertThat(store.events()).isEqualTo(uninterrupted.events());
    }

    @Test
    void waitsForRetryAfterOnRateLimit() {
        api.on(ComplianceApiSource.PATH, ComplianceApiSourceTest::recordedFeed);
        api.failNext(new Reply(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}",
                Map.of("retry-after", "7")));
        run(options(), new MemoryFeedStore());
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(7));
        assertThat(progress).contains("compliance-api: rate limited (429); retrying in 7 s (attempt 2 of 4)");
    }

    @Test
    void backsOffExponentiallyOnServerErrors() {
        api.on(ComplianceApiSource.PATH, ComplianceApiSourceTest::recordedFeed);
        api.failNext(Reply.status(500, "{}"), Reply.status(503, "{}"), Reply.status(502, "{}"));
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(store.events()).hasSize(10);
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        api.failNext(Reply.status(503, "{}"), Reply.status(503, "{}"), Reply.status(503, "{}"), Reply.status(503, "{}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: giving up after 4 attempts: server error 503");
    }

    @Test
    void aRefusedKeyStopsAtOnceWithAClearMessage() {
        api.failNext(Reply.status(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: the API key was refused (401 unauthorized) at " + api.baseUrl()
                        + ": check that the key is valid and has the right scope: invalid x-api-key");
        api.failNext(Reply.status(403, "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"key lacks compliance scope\"}}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .hasMessageContaining("(403 forbidden)").hasMessageEndingWith("key lacks compliance scope");
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void anUnreachableApiIsRetriedThenNamed() {
        URI closed = URI.create("http://127.0.0.1:1");
        ComplianceApiOptions options = ComplianceApiOptions.of(closed, "key", ORG)
                .withRetry(new ApiClient.RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThatThrownBy(() -> run(options, new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("compliance-api: giving up after 2 attempts: cannot reach http://127.0.0.1:1");
    }

    @Test
    void sinceIsSentOnlyWhenThereIsNoStoredPosition() {
        api.on(ComplianceApiSource.PATH, ComplianceApiSourceTest::recordedFeed);
        MemoryFeedStore store = new MemoryFeedStore();
        ComplianceApiOptions options = options().withPaging(Instant.parse("2026-03-01T00:00:00Z"), 5000);
        run(options, store);
        run(options, store);
        List<FakeAnthropicApi.Request> requests = api.requests();
        assertThat(requests.get(0).param("created_at.gte")).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(requests.get(0).param("limit")).isEqualTo("5000");
        assertThat(requests.subList(1, requests.size())).allMatch(r -> r.param("created_at.gte") == null);
        assertThat(requests.get(3).param("after_id")).isEqualTo(LAST_OF_PAGE_3);
        assertThat(store.events()).hasSize(10);
    }

    @Test
    void followingPollsAgainAfterTheIntervalUntilStopped() {
        AtomicBoolean newActivity = new AtomicBoolean(false);
        api.on(ComplianceApiSource.PATH, request -> {
            if (LAST_OF_PAGE_3.equals(request.param("after_id")) && newActivity.getAndSet(false)) {
                return Reply.ok("{\"data\":[{\"id\":\"act_NEW\",\"type\":\"chat_message_sent\",\"created_at\":\"2026-03-02T10:00:00Z\","
                        + "\"actor\":{\"type\":\"user\",\"id\":\"user_1\"},\"resource\":{\"id\":\"chat_1\",\"type\":\"chat\"}}],"
                        + "\"has_more\":false,\"last_id\":\"act_NEW\"}");
            }
            if (LAST_OF_PAGE_3.equals(request.param("after_id"))) {
                newActivity.set(true);
            }
            return recordedFeed(request);
        });
        time.stopAfterWaits(3);
        MemoryFeedStore store = new MemoryFeedStore();
        ComplianceApiSource.Summary summary = run(options().withFollow(true, Duration.ofSeconds(30)), store);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(summary.events()).isEqualTo(11);
        assertThat(store.events().get(10).getEventId()).isEqualTo("capi-act_NEW");
        assertThat(store.events().get(10).getUserId()).isEqualTo("user_1");
        assertThat(store.lastCursor(ComplianceApiSource.SOURCE, ORG)).hasValue("act_NEW");
    }

    @Test
    void aBaseUrlWithAPathKeepsItsPath() {
        api.on("/gateway/anthropic" + ComplianceApiSource.PATH, ComplianceApiSourceTest::recordedFeed);
        ComplianceApiOptions options = ComplianceApiOptions.of(URI.create(api.baseUrl() + "/gateway/anthropic/"), "k", ORG);
        MemoryFeedStore store = new MemoryFeedStore();
        run(options, store);
        assertThat(store.events()).hasSize(10);
    }

    @Test
    void anUnknownPathIsRefusedWithTheApisMessage() {
        ComplianceApiOptions options = ComplianceApiOptions.of(URI.create(api.baseUrl() + "/nowhere"), "k", ORG);
        assertThatThrownBy(() -> run(options, new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: request refused (404) for /nowhere/v1/compliance/activities: no such path");
    }

    @Test
    void badOptionsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> options().withPaging(null, 6000))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: page size must be between 1 and 5000, got 6000");
        assertThatThrownBy(() -> ComplianceApiOptions.of(api.baseUrl(), " ", ORG))
                .hasMessage("compliance-api: no API key given (set ANTHROPIC_COMPLIANCE_API_KEY)");
        assertThatThrownBy(() -> ComplianceApiOptions.of(URI.create("api.anthropic.com"), "k", ORG))
                .hasMessageContaining("base URL must be absolute");
        assertThat(options().toString()).doesNotContain("sk-ant-admin01-test-key");
    }
}
