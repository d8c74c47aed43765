package dev.compliance.producers.complianceapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.Waiter;
import dev.compliance.producers.feed.FeedCounters;
import dev.compliance.producers.feed.FeedPosition;
import dev.compliance.producers.feed.FeedStore;
import dev.compliance.producers.http.ApiClient;
import dev.compliance.producers.sink.DeadLetter;
import dev.compliance.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ./compliance produce compliance-api}: reads the Claude Enterprise Compliance API activity feed
 * (GET /v1/compliance/activities) and commits each page's usage events, oldest first, together with the feed
 * position (see {@link FeedStore}), so that a restart neither skips nor repeats an activity.
 *
 * <p>The paging contract, from platform.claude.com {@code manage-claude/compliance-activity-feed} ("Query the Activity
 * Feed"), {@code manage-claude/compliance-integration-patterns} ("Design your integration") and
 * {@code api/compliance/activities}: the feed returns activities <b>newest first</b> (ties in {@code created_at}
 * broken by id), pages carry {@code data}, {@code has_more}, {@code first_id} (the newest on the page) and
 * {@code last_id} (the oldest); {@code after_id=<last_id>} goes on to <i>older</i> activities,
 * {@code before_id=<first_id>} to the page of <i>newer</i> activities adjacent to it; only one of the two per request.
 * Activities are queryable within a minute of occurring, so every request bounds the feed with
 * {@code created_at.lt} = now − 1 minute ("set created_at.lt at least 1 minute in the past").
 *
 * <p>The stored position is the id of the newest activity produced. So:
 * <ul>
 *   <li><b>Catch-up</b> (a position exists): {@code before_id=<position>} gives the activities just newer than it;
 *       each page is produced in time order (the page reversed) and committed with its {@code first_id} as the new
 *       position; repeat while {@code has_more}. New activity is read, nothing older is read again.</li>
 *   <li><b>First run</b> (no position): walk back from the newest activity with {@code after_id} to the oldest one
 *       created at or after {@code --since} ({@code created_at.gte}; the whole feed without it), produce that oldest
 *       page and then catch up from it. The walk back only reads ids (one page in memory); it is read again forwards,
 *       so that events go out in time order and each committed position has everything older behind it. A crash
 *       during the walk back commits nothing and the next run walks back again.</li>
 * </ul>
 * The feed is at-least-once (the docs say to deduplicate on the activity id): event ids are "capi-" + activity id, so
 * a repeat by the API has the same event id, and an activity equal to the position is never produced again.
 *
 * <p>Errors (platform.claude.com {@code manage-claude/compliance-errors}): a missing or revoked key is 401
 * {@code authentication_error}, a missing scope 403 {@code permission_error}; a bad key has also been reported to get
 * 404 {@code not_found_error} on the feed. All three stop at once with one line: "check the compliance API key". 429
 * honours retry-after without advancing the position; 5xx backs off.
 */
public class ComplianceApiSource {

    public static final String SOURCE = "compliance-api";
    /** The stage header of this source's dead letters. */
    public static final String STAGE = "compliance-api-activity-mapper";
    static final String PATH = "/v1/compliance/activities";
    /** "Activities are queryable within 1 minute of occurring" (compliance-activity-feed). */
    static final Duration QUERYABLE_AFTER = Duration.ofMinutes(1);
    static final ApiClient.KeyRefusal KEY_REFUSAL = new ApiClient.KeyRefusal(Set.of(401, 403, 404),
            "check the compliance API key (ANTHROPIC_COMPLIANCE_API_KEY: a Compliance Access Key or Admin API key with"
                    + " the read:compliance_activities scope) and --base-url");

    private final ComplianceApiOptions options;
    private final FeedStore store;
    private final Progress progress;
    private final Waiter waiter;
    private final Clock clock;
    private final FeedCounters counts;

    /** What a run did. */
    public record Summary(long pages, long activities, long events, Map<String, Long> skippedByType, long malformed) {
    }

    public ComplianceApiSource(ComplianceApiOptions options, FeedStore store, Progress progress, Waiter waiter,
                               Clock clock) {
        this(options, store, progress, waiter, clock, new FeedCounters(SOURCE));
    }

    /** @param counts where the source counts what it reads and sends (its {@code /metrics}) */
    public ComplianceApiSource(ComplianceApiOptions options, FeedStore store, Progress progress, Waiter waiter,
                               Clock clock, FeedCounters counts) {
        this.options = options;
        this.store = store;
        this.progress = progress;
        this.waiter = waiter;
        this.clock = clock;
        this.counts = counts;
    }

    /** One page of the feed as the API sent it (newest first). */
    private record Page(JsonNode data, boolean hasMore, String firstId, String lastId) {
    }

    /** What this source read and sent so far, for {@code /metrics}. */
    public FeedCounters counters() {
        return counts;
    }

    public Summary call() {
        ApiClient api = new ApiClient(SOURCE, options.baseUrl(), Map.of("x-api-key", options.apiKey()), waiter,
                progress, options.retry(), KEY_REFUSAL);
        ActivityMapper mapper = new ActivityMapper(options.orgId(), options.defaultDataClass());
        Optional<String> position = store.lastCursor(SOURCE, options.orgId());
        progress.report(position.map(id -> "compliance-api: resuming after activity " + id)
                .orElse("compliance-api: no stored position; reading from "
                        + (options.since() == null ? "the start of the feed" : options.since().toString())));
        try {
            while (true) {
                Instant until = clock.instant().minus(QUERYABLE_AFTER);
                if (position.isEmpty()) {
                    position = firstRun(api, mapper, until);
                }
                if (position.isPresent()) {
                    position = Optional.of(catchUp(api, mapper, position.get(), until));
                }
                counts.polled(clock.instant());
                if (!options.follow() || !waiter.await(options.pollInterval())) {
                    break;
                }
            }
        } catch (ApiClient.Stopped stopped) {
            progress.report("compliance-api: stopped while waiting to retry");
        }
        Map<String, Long> skipped = counts.skippedByType();
        progress.report(String.format("compliance-api: done: %d pages, %d activities, %d events, %d malformed,"
                + " skipped types %s", counts.pages(), counts.records(), counts.events(), counts.malformedCount(),
                skipped.isEmpty() ? "none" : skipped));
        return new Summary(counts.pages(), counts.records(), counts.events(), Map.copyOf(skipped),
                counts.malformedCount());
    }

    /** Walks back to the oldest page since --since and produces it; empty when the feed has nothing yet. */
    private Optional<String> firstRun(ApiClient api, ActivityMapper mapper, Instant until) {
        Page oldest = null;
        String afterId = null;
        long walked = 0;
        while (true) {
            List<Map.Entry<String, String>> query = query(until);
            if (options.since() != null) {
                query.add(new SimpleEntry<>("created_at.gte", options.since().toString()));
            }
            if (afterId != null) {
                query.add(new SimpleEntry<>("after_id", afterId));
            }
            Page page = get(api, query);
            counts.page();
            walked++;
            if (page.data().isEmpty()) {
                break;
            }
            oldest = page;
            if (!page.hasMore()) {
                break;
            }
            if (page.lastId().equals(afterId)) {
                throw new SourceException("compliance-api: the page after " + afterId + " ends at the same activity;"
                        + " the feed does not move");
            }
            afterId = page.lastId();
        }
        if (oldest == null) {
            progress.report("compliance-api: no activity yet");
            return Optional.empty();
        }
        progress.report("compliance-api: first run: walked back " + walked + " pages to the oldest activity; "
                + "producing forwards from there");
        produce(oldest, mapper, null);
        return Optional.of(oldest.firstId());
    }

    /** Produces every page newer than {@code position}, oldest first; returns the new position. */
    private String catchUp(ApiClient api, ActivityMapper mapper, String position, Instant until) {
        while (true) {
            List<Map.Entry<String, String>> query = query(until);
            query.add(new SimpleEntry<>("before_id", position));
            Page page = get(api, query);
            counts.page();
            if (page.data().isEmpty()) {
                return position;
            }
            produce(page, mapper, position);
            if (!page.hasMore()) {
                return page.firstId();
            }
            if (page.firstId().equals(position)) {
                throw new SourceException("compliance-api: the page before " + position + " starts at the same"
                        + " activity; the feed does not move");
            }
            position = page.firstId();
        }
    }

    /** Maps one page in time order (the page reversed) and commits its events with its first_id as the position. */
    private void produce(Page page, ActivityMapper mapper, String previousPosition) {
        List<UsageEvent> events = new ArrayList<>();
        List<DeadLetter> refused = new ArrayList<>();
        Map<String, Long> skippedHere = new TreeMap<>();
        for (int i = page.data().size() - 1; i >= 0; i--) {
            JsonNode activity = page.data().get(i);
            if (activity.path("id").asText("").equals(previousPosition)) {
                continue;
            }
            counts.read(1);
            ActivityMapper.Outcome outcome = mapper.map(activity);
            if (outcome instanceof ActivityMapper.Mapped mapped) {
                events.add(mapped.event());
            } else if (outcome instanceof ActivityMapper.Skipped skip) {
                skippedHere.merge(skip.type(), 1L, Long::sum);
            } else if (outcome instanceof ActivityMapper.Malformed bad) {
                counts.malformed();
                refused.add(deadLetter(activity, bad.reason(), options.orgId()));
                progress.report("compliance-api: skipped a malformed activity: " + bad.reason()
                        + " (kept in " + Topics.DEAD_LETTER.name() + ")");
            }
        }
        store.commit(events, refused, new FeedPosition(SOURCE, options.orgId(), page.firstId(), clock.instant()));
        skippedHere.forEach(counts::skipped);
        counts.sent(events.size());
        progress.report(String.format("compliance-api: page %d: %d activities, %d events (%d in total), skipped %s",
                counts.pages(), page.data().size(), events.size(), counts.events(),
                skippedHere.isEmpty() ? "none" : skippedHere));
    }

    /**
     * What compliance.dead-letter keeps of an activity that cannot be read: its id, type and time (never the rest:
     * an activity may carry names of chats or files), and why; the stage names this mapper.
     */
    static DeadLetter deadLetter(JsonNode activity, String reason, String orgId) {
        com.fasterxml.jackson.databind.node.ObjectNode kept = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String field : List.of("id", "type", "created_at")) {
            if (activity.hasNonNull(field)) {
                kept.set(field, activity.get(field));
            }
        }
        return new DeadLetter(orgId, kept.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), reason, STAGE);
    }

    private List<Map.Entry<String, String>> query(Instant until) {
        List<Map.Entry<String, String>> query = new ArrayList<>();
        query.add(new SimpleEntry<>("limit", Integer.toString(options.pageSize())));
        query.add(new SimpleEntry<>("created_at.lt", until.toString()));
        return query;
    }

    private static Page get(ApiClient api, List<Map.Entry<String, String>> query) {
        JsonNode page = api.get(PATH, query);
        JsonNode data = page.path("data");
        if (!data.isArray()) {
            throw new SourceException("compliance-api: the answer of " + PATH + " has no data array");
        }
        boolean hasMore = page.path("has_more").asBoolean(false);
        String firstId = id(page.path("first_id"), data.isEmpty() ? null : data.get(0));
        String lastId = id(page.path("last_id"), data.isEmpty() ? null : data.get(data.size() - 1));
        if (!data.isEmpty() && (firstId == null || lastId == null)) {
            throw new SourceException("compliance-api: a page of " + PATH + " gives neither first_id/last_id nor"
                    + " activity ids");
        }
        return new Page(data, hasMore, firstId, lastId);
    }

    /** The page's own first_id/last_id, else the id of the activity at that end. */
    private static String id(JsonNode given, JsonNode activity) {
        if (given.isTextual() && !given.asText().isBlank()) {
            return given.asText();
        }
        JsonNode id = activity == null ? null : activity.path("id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    }
}
