package dev.compliance.producers.complianceapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.producers.http.FakeAnthropicApi.Reply;
import dev.compliance.producers.http.FakeAnthropicApi.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Serves a list of activities the way GET /v1/compliance/activities is documented to (platform.claude.com
 * manage-claude/compliance-activity-feed, api/compliance/activities): newest first, ties in created_at broken by id;
 * {@code limit}; {@code after_id} = the older activities after that one, {@code before_id} = the page of newer
 * activities adjacent to it (only one of the two); {@code created_at.gte/.gt/.lte/.lt}; {@code has_more},
 * {@code first_id} (newest on the page) and {@code last_id} (oldest). Activities can be added while it serves, as new
 * activity would arrive.
 */
public final class FakeActivityFeed {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<JsonNode> NEWEST_FIRST = Comparator
            .comparing((JsonNode a) -> Instant.parse(a.path("created_at").asText()))
            .thenComparing(a -> a.path("id").asText()).reversed();

    private final List<JsonNode> activities = new CopyOnWriteArrayList<>();

    /** A feed of the activities in a JSON array (any order). */
    public static FakeActivityFeed of(String jsonArray) {
        FakeActivityFeed feed = new FakeActivityFeed();
        feed.add(jsonArray);
        return feed;
    }

    public void add(String jsonArray) {
        try {
            JSON.readTree(jsonArray).forEach(activities::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply serve(Request request) {
        if (request.param("after_id") != null && request.param("before_id") != null) {
            return error("only one of after_id and before_id may be given");
        }
        List<JsonNode> sorted = new ArrayList<>(activities);
        sorted.sort(NEWEST_FIRST);
        List<JsonNode> matching = sorted.stream().filter(createdAtFilter(request)).toList();
        int limit = request.param("limit") == null ? 100 : Integer.parseInt(request.param("limit"));
        List<JsonNode> page;
        boolean hasMore;
        String cursor = request.param("after_id") != null ? request.param("after_id") : request.param("before_id");
        if (cursor == null) {
            page = matching.subList(0, Math.min(limit, matching.size()));
            hasMore = matching.size() > limit;
        } else {
            Optional<JsonNode> at = sorted.stream().filter(a -> a.path("id").asText().equals(cursor)).findFirst();
            if (at.isEmpty()) {
                return error("no activity " + cursor);
            }
            if (request.param("after_id") != null) {
                List<JsonNode> older = matching.stream().filter(a -> NEWEST_FIRST.compare(a, at.get()) > 0).toList();
                page = older.subList(0, Math.min(limit, older.size()));
                hasMore = older.size() > limit;
            } else {
                List<JsonNode> newer = matching.stream().filter(a -> NEWEST_FIRST.compare(a, at.get()) < 0).toList();
                page = newer.subList(Math.max(0, newer.size() - limit), newer.size());
                hasMore = newer.size() > limit;
            }
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.forEach(data::add);
        body.put("has_more", hasMore);
        body.put("first_id", page.isEmpty() ? null : page.get(0).path("id").asText());
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).path("id").asText());
        return Reply.ok(body.toString());
    }

    private static Predicate<JsonNode> createdAtFilter(Request request) {
        Predicate<JsonNode> filter = a -> true;
        for (String op : List.of("gte", "gt", "lte", "lt")) {
            String value = request.param("created_at." + op);
            if (value == null) {
                continue;
            }
            Instant bound = Instant.parse(value);
            filter = filter.and(a -> {
                int c = Instant.parse(a.path("created_at").asText()).compareTo(bound);
                return switch (op) {
                    case "gte" -> c >= 0;
                    case "gt" -> c > 0;
                    case "lte" -> c <= 0;
                    default -> c < 0;
                };
            });
        }
        return filter;
    }

    private static Reply error(String message) {
        return Reply.status(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
                + message + "\"}}");
    }
}
