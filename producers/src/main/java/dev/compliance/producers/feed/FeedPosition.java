package dev.compliance.producers.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * How far a polling source has read one org's feed: the cursor (the id of the newest Compliance API activity
 * produced, or the usage report's {@code ReportPosition} as JSON: the end of the last bucket read and what was sent
 * for the re-read window). Stored as JSON on the compacted topic {@value FeedStore#TOPIC}, keyed by
 * {@link #key()} = source + "/" + orgId, in the same transaction as the events it produced.
 */
public record FeedPosition(String source, String orgId, String cursor, Instant committedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static String key(String source, String orgId) {
        return source + "/" + orgId;
    }

    public String key() {
        return key(source, orgId);
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode()
                .put("source", source)
                .put("orgId", orgId)
                .put("cursor", cursor)
                .put("committedAt", committedAt.toString());
        return node.toString();
    }

    public static FeedPosition fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new FeedPosition(node.path("source").asText(), node.path("orgId").asText(),
                    node.path("cursor").asText(), Instant.parse(node.path("committedAt").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
