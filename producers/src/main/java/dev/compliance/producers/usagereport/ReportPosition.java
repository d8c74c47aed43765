package dev.compliance.producers.usagereport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.producers.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The usage report's stored position: how far the report has been read ({@code position}, the end of the last bucket
 * read), where the first run started ({@code from}: the re-read window never goes before it), and what was sent for
 * each bucket and group of the trailing re-read window ({@code sent}: event id → bucket start and a hash of its
 * totals). A bucket re-read with the same totals sends nothing; with other totals it sends a correction. Stored as
 * JSON in the feed position's cursor, in the same transaction as the events. A cursor of an older version (a bare
 * instant) reads as a position with nothing sent, so its window is sent once more.
 */
record ReportPosition(Instant position, Instant from, Map<String, Sent> sent) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was sent for one event id: its bucket start and the hash of its totals. */
    record Sent(Instant bucket, String totalsHash) {
    }

    ReportPosition {
        sent = Map.copyOf(sent);
    }

    static ReportPosition start(Instant from) {
        return new ReportPosition(from, from, Map.of());
    }

    /** A hash of an event's totals ({@link UsageReportMapper#totals}), short so that a large window stays small. */
    static String hash(String totals) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(totals.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The new position with these sends added and every send of a bucket before {@code keepFrom} dropped. */
    ReportPosition advance(Instant newPosition, Map<String, Sent> newlySent, Instant keepFrom) {
        Map<String, Sent> kept = new HashMap<>(sent);
        kept.putAll(newlySent);
        kept.values().removeIf(s -> s.bucket().isBefore(keepFrom));
        return new ReportPosition(newPosition, from, kept);
    }

    String toCursor() {
        ObjectNode node = JSON.createObjectNode().put("position", position.toString()).put("from", from.toString());
        ObjectNode sentNode = node.putObject("sent");
        new TreeMap<>(sent).forEach((id, s) -> sentNode.putArray(id).add(s.bucket().toString()).add(s.totalsHash()));
        return node.toString();
    }

    static ReportPosition parse(String cursor) {
        try {
            if (!cursor.startsWith("{")) {
                Instant position = Instant.parse(cursor);
                return new ReportPosition(position, position, Map.of());
            }
            JsonNode node = JSON.readTree(cursor);
            Map<String, Sent> sent = new HashMap<>();
            node.path("sent").fields().forEachRemaining(e -> sent.put(e.getKey(),
                    new Sent(Instant.parse(e.getValue().path(0).asText()), e.getValue().path(1).asText())));
            return new ReportPosition(Instant.parse(node.path("position").asText()),
                    Instant.parse(node.path("from").asText()), sent);
        } catch (IOException | DateTimeParseException e) {
            throw new SourceException("usage-report: the stored position '"
                    + (cursor.length() > 80 ? cursor.substring(0, 80) + "..." : cursor) + "' cannot be read");
        }
    }
}
