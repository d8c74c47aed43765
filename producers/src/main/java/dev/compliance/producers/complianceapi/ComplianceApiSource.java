package dev.compliance.producers.complianceapi;

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
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ./compliance produce compliance-api}: reads the Claude Enterprise Compliance API activity feed
 * (GET /v1/compliance/activities, after_id / has_more / last_id paging) and commits each page's usage events together
 * with the feed position (see {@link FeedStore}). On start it resumes after the last committed activity.
 */
public class ComplianceApiSource {

    public static final String SOURCE = "compliance-api";
    static final String PATH = "/v1/compliance/activities";

    private final ComplianceApiOptions options;
    private final FeedStore store;
    private final Progress progress;
    private final Waiter waiter;
    private final Clock clock;

    /** What a run did. */
    public record Summary(long pages, long activities, long events, Map<String, Long> skippedByType, long malformed) {
    }

    public ComplianceApiSource(ComplianceApiOptions options, FeedStore store, Progress progress, Waiter waiter,
                               Clock clock) {
        this.options = options;
        this.store = store;
        this.progress = progress;
        this.waiter = waiter;
        this.clock = clock;
    }

    public Summary call() {
        ApiClient api = new ApiClient(SOURCE, options.baseUrl(), Map.of("x-api-key", options.apiKey()), waiter,
                progress, options.retry());
        ActivityMapper mapper = new ActivityMapper(options.orgId(), options.defaultDataClass());
        Optional<String> cursor = store.lastCursor(SOURCE, options.orgId());
        progress.report(cursor.map(id -> "compliance-api: resuming after activity " + id)
                .orElse("compliance-api: no stored position; reading from "
                        + (options.since() == null ? "the start of the feed" : options.since().toString())));
        long pages = 0;
        long activities = 0;
        long produced = 0;
        long malformed = 0;
        Map<String, Long> skipped = new TreeMap<>();
        try {
            while (true) {
                JsonNode page = api.get(PATH, query(cursor));
                JsonNode data = page.path("data");
                if (!data.isArray()) {
                    throw new SourceException("compliance-api: the answer of " + PATH + " has no data array");
                }
                List<UsageEvent> events = new ArrayList<>();
                for (JsonNode activity : data) {
                    ActivityMapper.Outcome outcome = mapper.map(activity);
                    if (outcome instanceof ActivityMapper.Mapped mapped) {
                        events.add(mapped.event());
                    } else if (outcome instanceof ActivityMapper.Skipped skip) {
                        skipped.merge(skip.type(), 1L, Long::sum);
                    } else if (outcome instanceof ActivityMapper.Malformed bad) {
                        malformed++;
                        progress.report("compliance-api: skipped a malformed activity: " + bad.reason());
                    }
                }
                String lastId = lastId(page, data);
                boolean hasMore = page.path("has_more").asBoolean(false);
                if (lastId != null && !data.isEmpty()) {
                    store.commit(events, new FeedPosition(SOURCE, options.orgId(), lastId, clock.instant()));
                    cursor = Optional.of(lastId);
                } else if (hasMore) {
                    throw new SourceException("compliance-api: the answer says has_more but gives no last_id");
                }
                pages++;
                activities += data.size();
                produced += events.size();
                if (!data.isEmpty()) {
                    progress.report(String.format("compliance-api: page %d: %d activities, %d events (%d in total)",
                            pages, data.size(), events.size(), produced));
                }
                Duration pause = hasMore ? Duration.ZERO : options.follow() ? options.pollInterval() : null;
                if (pause == null || !waiter.await(pause)) {
                    break;
                }
            }
        } catch (ApiClient.Stopped stopped) {
            progress.report("compliance-api: stopped while waiting to retry");
        }
        Summary summary = new Summary(pages, activities, produced, Map.copyOf(skipped), malformed);
        progress.report(String.format("compliance-api: done: %d activities, %d events, %d malformed, skipped types %s",
                activities, produced, malformed, skipped.isEmpty() ? "none" : skipped));
        return summary;
    }

    private List<Map.Entry<String, String>> query(Optional<String> cursor) {
        List<Map.Entry<String, String>> query = new ArrayList<>();
        query.add(new SimpleEntry<>("limit", Integer.toString(options.pageSize())));
        if (cursor.isPresent()) {
            query.add(new SimpleEntry<>("after_id", cursor.get()));
        } else if (options.since() != null) {
            query.add(new SimpleEntry<>("created_at.gte", options.since().toString()));
        }
        return query;
    }

    private static String lastId(JsonNode page, JsonNode data) {
        JsonNode lastId = page.path("last_id");
        if (lastId.isTextual() && !lastId.asText().isBlank()) {
            return lastId.asText();
        }
        if (!data.isEmpty()) {
            JsonNode id = data.get(data.size() - 1).path("id");
            return id.isTextual() ? id.asText() : null;
        }
        return null;
    }
}
