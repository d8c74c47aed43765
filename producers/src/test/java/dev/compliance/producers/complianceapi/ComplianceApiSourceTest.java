package dev.compliance.producers.complianceapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
import dev.compliance.producers.metrics.MetricsEndpoint;
import dev.compliance.producers.metrics.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * The Compliance API source against {@link FakeActivityFeed} serving the documented activities of
 * {@code complianceapi/documented-activities.json} (see the README beside it for the pages they come from).
 */
class ComplianceApiSourceTest {

    static final String ORG = "org_01Wv6QeBcDfGhJkLmNpQrSt8";
    static final String CHAT = "claude_chat_01XyDMpzjS89pFZXqSFUBDr6";
    static final String FILE = "claude_file_01Fq2WbN8xYz3KLm4PqRsT5v";
    static final String PROJECT = "claude_proj_01Pr9JkLmNoPqRsTuVwXyZ0a";
    static final String DOCUMENT = "claude_proj_doc_01Dc4EfGhJkLmNpQrStUvWx";
    static final String PROJECT_FILE = "claude_file_01Pf6GhJkLmNpQrStUvWxYz1";
    static final String MCP_SERVER = "mcpsrv_01Mc7HjKlMnPqRsTuVwXyZ2b";
    static final String MARIA = "user_01TuVwXyZaBcDeFgH2JkLmN4";
    static final String SAM = "user_01Hq7RsTuVwXyZaBcDeFgH2J";

    /** The content activities of the fixture in time order: type, feature, action, resource id. */
    static final List<org.assertj.core.groups.Tuple> CONTENT = List.of(
            tuple("capi-activity_01XyDMpzjS89pFZXqSFUBDr6", Feature.CHAT, Action.USE, CHAT),
            tuple(id(4), Feature.CHAT, Action.USE, FILE),
            tuple(id(5), Feature.PROJECTS, Action.USE, PROJECT),
            tuple(id(6), Feature.PROJECTS, Action.USE, DOCUMENT),
            tuple(id(7), Feature.PROJECTS, Action.USE, DOCUMENT),
            tuple(id(8), Feature.PROJECTS, Action.USE, PROJECT_FILE),
            tuple(id(9), Feature.MCP_INTEGRATION, Action.USE, MCP_SERVER),
            tuple(id(10), Feature.MCP_INTEGRATION, Action.USE, MCP_SERVER),
            tuple(id(11), Feature.MCP_INTEGRATION, Action.USE, MCP_SERVER),
            tuple(id(14), Feature.CHAT, Action.DELETE, CHAT),
            tuple(id(15), Feature.CHAT, Action.DELETE, FILE),
            tuple(id(16), Feature.PROJECTS, Action.DELETE, PROJECT_FILE),
            tuple(id(17), Feature.PROJECTS, Action.DELETE, DOCUMENT),
            tuple(id(18), Feature.PROJECTS, Action.DELETE, PROJECT));
    static final Map<String, Long> SKIPPED = Map.of("magic_link_login_succeeded", 1L, "claude_chat_viewed", 1L,
            "cowork_session_updated", 1L, "claude_chat_deletion_failed", 1L, "user_logged_out", 1L,
            "api_key_created", 1L);

    private final FakeAnthropicApi api = new FakeAnthropicApi();
    private final FakeActivityFeed feed = FakeActivityFeed.of(Resources.text("complianceapi/documented-activities.json"));
    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-04-10T12:00:00Z"), ZoneOffset.UTC);

    /** The event id of the fixture's n-th activity in time order (1-based). */
    static String id(int n) {
        return "capi-" + activity(n);
    }

    static String activity(int n) {
        return n == 2 ? "activity_01XyDMpzjS89pFZXqSFUBDr6" : String.format("activity_01Jm%02dQ8fR3sT5uV7wX9yZ2b", n);
    }

    @AfterEach
    void close() {
        api.close();
    }

    /** Seven activities a page: the fixture's 20 are three pages. */
    private ComplianceApiOptions options() {
        return ComplianceApiOptions.of(api.baseUrl(), "sk-ant-api01-test-key", ORG)
                .withPaging(null, 7)
                .withRetry(new ApiClient.RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }

    private ComplianceApiSource.Summary run(ComplianceApiOptions options, MemoryFeedStore store) {
        return new ComplianceApiSource(options, store, progress::add, time, clock).call();
    }

    private static List<org.assertj.core.groups.Tuple> content(List<UsageEvent> events) {
        return events.stream().map(e -> tuple(e.getEventId(), e.getFeature(), e.getAction(), e.getResourceId())).toList();
    }

    @Test
    void aReplayedFeedAcrossThreePagesWithARestartInTheMiddleGivesEveryContentActivityOnceInTimeOrder() {
        api.on(ComplianceApiSource.PATH, feed::serve);
        AtomicBoolean crash = new AtomicBoolean(true);
        MemoryFeedStore store = new MemoryFeedStore() {
            @Override
            public synchronized void commit(List<UsageEvent> events, List<dev.compliance.producers.sink.DeadLetter> refused,
                                            FeedPosition position) {
                if (position.cursor().equals(activity(13)) && crash.getAndSet(false)) {
                    throw new SourceException("broker went away: transaction aborted");
                }
                super.commit(events, refused, position);
            }
        };
        assertThatThrownBy(() -> run(options(), store)).isInstanceOf(SourceException.class);
        assertThat(store.lastCursor(ComplianceApiSource.SOURCE, ORG)).hasValue(activity(6));
        assertThat(content(store.events())).isEqualTo(CONTENT.subList(0, 4));

        ComplianceApiSource.Summary second = run(options(), store);
        assertThat(progress).contains("compliance-api: resuming after activity " + activity(6));
        assertThat(second.events()).isEqualTo(10);
        assertThat(content(store.events())).isEqualTo(CONTENT);
        assertThat(store.events()).extracting(UsageEvent::getEventTime).isSorted();
        assertThat(store.lastCursor(ComplianceApiSource.SOURCE, ORG)).hasValue(activity(20));

        MemoryFeedStore uninterrupted = new MemoryFeedStore();
        ComplianceApiSource.Summary once = run(options(), uninterrupted);
        assertThat(uninterrupted.events()).isEqualTo(store.events());
        assertThat(once.activities()).isEqualTo(20);
        assertThat(once.skippedByType()).isEqualTo(SKIPPED);
        assertThat(once.malformed()).isZero();
        assertThat(uninterrupted.commits()).isEqualTo(3);
    }

    @Test
    void theFirstRunWalksBackWithAfterIdThenCatchesUpWithBeforeId() {
        api.on(ComplianceApiSource.PATH, feed::serve);
        run(options(), new MemoryFeedStore());
        List<FakeAnthropicApi.Request> requests = api.requests();
        assertThat(requests).extracting(r -> r.param("after_id"), r -> r.param("before_id")).containsExactly(
                tuple(null, null), tuple(activity(14), null), tuple(activity(7), null), // back to the oldest page
                tuple(null, activity(6)), tuple(null, activity(13)));                  // then forwards
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("x-api-key", "sk-ant-api01-test-key");
            assertThat(r.param("limit")).isEqualTo("7");
            assertThat(r.param("created_at.lt")).isEqualTo("2026-04-10T11:59:00Z"); // a minute before now
        });
        assertThat(progress).contains("compliance-api: first run: walked back 3 pages to the oldest activity; "
                + "producing forwards from there");
    }

    @Test
    void everyDocumentedContentTypeBecomesAnEventWithItsResourceAndActor() {
        api.on(ComplianceApiSource.PATH, feed::serve);
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store);
        List<UsageEvent> events = store.events();
        assertThat(content(events)).isEqualTo(CONTENT);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getPlan()).isEqualTo(Plan.ENTERPRISE);
            assertThat(e.getSource()).isEqualTo(EventSource.COMPLIANCE_API);
            assertThat(e.getOrgId()).isEqualTo(ORG);
        });
        assertThat(events.get(0).getEventTime()).isEqualTo(Instant.parse("2026-04-10T08:09:10Z"));
        assertThat(events).extracting(UsageEvent::getUserId).containsExactly(MARIA, MARIA, SAM, SAM, SAM, SAM, SAM,
                MARIA, SAM, MARIA,
                "apikey_01Rj2N8SVvo6BePZj99NhmiT",  // api_actor
                SAM,
                "apikey_01Ad3MnPqRsTuVwXyZaBcDeF",  // admin_api_key_actor
                SAM);
        assertThat(ActivityMapper.TYPES.keySet()).containsExactlyInAnyOrder("claude_chat_created",
                "claude_chat_deleted", "claude_file_uploaded", "claude_file_deleted", "claude_project_created",
                "claude_project_deleted", "claude_project_document_uploaded", "claude_project_document_updated",
                "claude_project_document_deleted", "claude_project_file_uploaded", "claude_project_file_deleted",
                "mcp_server_created", "mcp_server_updated", "integration_user_connected");
    }

    @Test
    void skippedTypesAreCountedByTypeOnTheProgressOutputAndOnMetrics() throws Exception {
        api.on(ComplianceApiSource.PATH, feed::serve);
        ComplianceApiSource source = new ComplianceApiSource(options(), new MemoryFeedStore(), progress::add, time, clock);
        ComplianceApiSource.Summary summary = source.call();
        assertThat(summary.skippedByType()).isEqualTo(SKIPPED);
        assertThat(progress).contains("compliance-api: page 3: 6 activities, 4 events (4 in total), skipped "
                + "{claude_chat_viewed=1, magic_link_login_succeeded=1}");
        assertThat(progress.get(progress.size() - 1)).isEqualTo("compliance-api: done: 5 pages, 20 activities,"
                + " 14 events, 0 malformed, skipped types {api_key_created=1, claude_chat_deletion_failed=1,"
                + " claude_chat_viewed=1, cowork_session_updated=1, magic_link_login_succeeded=1, user_logged_out=1}");
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("compliance-api", "127.0.0.1", 0,
                source.counters()::prometheus)) {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(endpoint.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).contains(PrometheusText.CONTENT_TYPE);
            assertThat(metrics.body()).contains(
                    "compliance_feed_pages_total{source=\"compliance-api\"} 5\n",
                    "compliance_feed_records_total{source=\"compliance-api\"} 20\n",
                    "compliance_feed_events_sent_total{source=\"compliance-api\"} 14\n",
                    "compliance_feed_malformed_total{source=\"compliance-api\"} 0\n",
                    "compliance_feed_skipped_total{source=\"compliance-api\",activity_type=\"claude_chat_viewed\"} 1\n",
                    "compliance_feed_skipped_total{source=\"compliance-api\",activity_type=\"api_key_created\"} 1\n",
                    "compliance_feed_polls_total{source=\"compliance-api\"} 1\n",
                    "compliance_feed_last_poll_timestamp_seconds{source=\"compliance-api\"} "
                            + clock.instant().getEpochSecond() + "\n");
            assertThat(metrics.body().lines().filter(l -> l.startsWith("compliance_feed_skipped_total{")))
                    .hasSize(SKIPPED.size());
        }
    }

    @Test
    void followingReadsNewActivityOnlyAndNeverWalksBackPastSince() {
        api.on(ComplianceApiSource.PATH, request -> {
            if (activity(20).equals(request.param("before_id")) && time.waits().size() == 1) {
                feed.add("[{\"id\":\"activity_01NewQ8fR3sT5uV7wX9yZ2b\",\"created_at\":\"2026-04-10T11:00:00Z\","
                        + "\"organization_id\":\"" + ORG + "\",\"actor\":{\"type\":\"user_actor\","
                        + "\"email_address\":\"maria@example.com\",\"user_id\":\"" + MARIA + "\"},"
                        + "\"type\":\"claude_chat_created\",\"claude_chat_id\":\"claude_chat_01NewChat\"}]");
            }
            return feed.serve(request);
        });
        time.stopAfterWaits(2);
        MemoryFeedStore store = new MemoryFeedStore();
        ComplianceApiOptions options = options().withPaging(Instant.parse("2026-04-10T08:09:00Z"), 7)
                .withFollow(true, Duration.ofSeconds(30));
        ComplianceApiSource.Summary summary = run(options, store);

        assertThat(time.waits()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(summary.events()).isEqualTo(15);
        assertThat(summary.skippedByType()).doesNotContainKey("magic_link_login_succeeded"); // before --since
        UsageEvent last = store.events().get(14);
        assertThat(last.getEventId()).isEqualTo("capi-activity_01NewQ8fR3sT5uV7wX9yZ2b");
        assertThat(last.getResourceId()).isEqualTo("claude_chat_01NewChat");
        assertThat(store.lastCursor(ComplianceApiSource.SOURCE, ORG)).hasValue("activity_01NewQ8fR3sT5uV7wX9yZ2b");
        List<FakeAnthropicApi.Request> withPosition = api.requests().stream()
                .filter(r -> r.param("before_id") != null).toList();
        assertThat(withPosition).allMatch(r -> r.param("created_at.gte") == null && r.param("after_id") == null);
        assertThat(api.requests().stream().filter(r -> r.param("created_at.gte") != null))
                .allMatch(r -> r.param("before_id") == null).hasSize(3);
    }

    @Test
    void anActivityWithoutWhatAnEventNeedsIsReportedAndTheRestGoesOn() {
        FakeActivityFeed bad = FakeActivityFeed.of("["
                + "{\"id\":\"activity_01A\",\"created_at\":\"2026-04-10T08:00:00Z\",\"type\":\"claude_chat_deleted\","
                + "\"actor\":{\"type\":\"user_actor\",\"user_id\":\"" + MARIA + "\"}},"
                + "{\"id\":\"activity_01B\",\"created_at\":\"2026-04-10T08:01:00Z\",\"type\":\"claude_chat_created\","
                + "\"claude_chat_id\":\"claude_chat_01B\",\"actor\":{\"type\":\"anthropic_actor\"}}]");
        api.on(ComplianceApiSource.PATH, bad::serve);
        MemoryFeedStore store = new MemoryFeedStore();
        ComplianceApiSource.Summary summary = run(options(), store);
        assertThat(summary.malformed()).isEqualTo(1);
        assertThat(progress).contains("compliance-api: skipped a malformed activity: activity_01A: claude_chat_deleted"
                + " without claude_chat_id (kept in compliance.dead-letter)");
        assertThat(store.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo(ORG);
            assertThat(d.reason()).isEqualTo("activity_01A: claude_chat_deleted without claude_chat_id");
            assertThat(d.stage()).isEqualTo(ComplianceApiSource.STAGE);
            assertThat(new String(d.value(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":\"activity_01A\",\"type\":\"claude_chat_deleted\",\"created_at\":\"2026-04-10T08:00:00Z\"}");
        });
        assertThat(store.events()).singleElement().satisfies(e -> {
            assertThat(e.getUserId()).isEqualTo("unknown");
            assertThat(e.getOrgId()).isEqualTo(ORG); // no organization_id: the --org-id
        });
    }

    @Test
    void aRefusedKeyStopsAtOnceWithOneLineWhateverTheStatus() {
        String fix = ": check the compliance API key (ANTHROPIC_COMPLIANCE_API_KEY: a Compliance Access Key or Admin"
                + " API key with the read:compliance_activities scope) and --base-url";
        api.failNext(Reply.status(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"The API key provided is invalid or has been revoked.\"}}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: the API key was refused (401 authentication_error) at " + api.baseUrl()
                        + fix + ": The API key provided is invalid or has been revoked.");
        api.failNext(Reply.status(403, "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\","
                + "\"message\":\"Missing required scopes. Got: [] Needed: [read:compliance_activities]\"}}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .hasMessageContaining("(403 permission_error)").hasMessageContaining(fix);
        api.failNext(Reply.status(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                + "\"message\":\"Not found\"}}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .hasMessage("compliance-api: the API key was refused (404 not_found_error) at " + api.baseUrl()
                        + fix + ": Not found")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void waitsForRetryAfterOnRateLimitWithoutAdvancing() {
        api.on(ComplianceApiSource.PATH, feed::serve);
        api.failNext(new Reply(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}",
                Map.of("retry-after", "7")));
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(7));
        assertThat(progress).contains("compliance-api: rate limited (429); retrying in 7 s (attempt 2 of 4)");
        assertThat(content(store.events())).isEqualTo(CONTENT);
    }

    @Test
    void backsOffExponentiallyOnServerErrors() {
        api.on(ComplianceApiSource.PATH, feed::serve);
        api.failNext(Reply.status(500, "{}"), Reply.status(503, "{}"), Reply.status(502, "{}"));
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(store.events()).hasSize(14);
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        api.failNext(Reply.status(503, "{}"), Reply.status(503, "{}"), Reply.status(503, "{}"), Reply.status(503, "{}"));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: giving up after 4 attempts: server error 503");
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
    void aBaseUrlWithAPathKeepsItsPath() {
        api.on("/gateway/anthropic" + ComplianceApiSource.PATH, feed::serve);
        ComplianceApiOptions options = ComplianceApiOptions.of(URI.create(api.baseUrl() + "/gateway/anthropic/"), "k", ORG);
        MemoryFeedStore store = new MemoryFeedStore();
        run(options, store);
        assertThat(store.events()).hasSize(14);
    }

    @Test
    void aFeedThatDoesNotMoveStopsInsteadOfLooping() {
        String stuck = "{\"data\":[{\"id\":\"activity_01A\",\"created_at\":\"2026-04-10T08:00:00Z\","
                + "\"type\":\"user_logged_out\"}],\"has_more\":true,\"first_id\":\"activity_01A\","
                + "\"last_id\":\"activity_01A\"}";
        api.on(ComplianceApiSource.PATH, request -> Reply.ok(stuck));
        assertThatThrownBy(() -> run(options(), new MemoryFeedStore()))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api: the page after activity_01A ends at the same activity; the feed does not move");
        MemoryFeedStore positioned = new MemoryFeedStore();
        positioned.commit(List.of(), new FeedPosition(ComplianceApiSource.SOURCE, ORG, "activity_01A", clock.instant()));
        assertThatThrownBy(() -> run(options(), positioned))
                .hasMessage("compliance-api: the page before activity_01A starts at the same activity; the feed does not move");
    }

    @Test
    void anEmptyFeedCommitsNothingAndSaysSo() {
        FakeActivityFeed empty = FakeActivityFeed.of("[]");
        api.on(ComplianceApiSource.PATH, empty::serve);
        MemoryFeedStore store = new MemoryFeedStore();
        run(options(), store);
        assertThat(store.commits()).isZero();
        assertThat(progress).contains("compliance-api: no activity yet");
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
        assertThat(options().toString()).doesNotContain("sk-ant-api01-test-key");
    }
}
