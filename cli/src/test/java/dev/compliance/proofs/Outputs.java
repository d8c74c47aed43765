package dev.compliance.proofs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.UsageRollup;
import dev.compliance.avro.Violation;
import dev.compliance.streams.DeadLetters;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The pipeline's outputs, indexed so that two runs can be compared record by record. Every output record
 * gets an identity that must be unique in a correct run:
 * <ul>
 *   <li>compliance.violations: the violationId (eventId:code);</li>
 *   <li>compliance.findings.ocsf: finding_info.uid (the violationId);</li>
 *   <li>compliance.retention: SCHEDULED/eventId (an EXPIRED bucket would show up as unexpected);</li>
 *   <li>compliance.rollups.daily: rollup key #eventCount — the n-th update of a day's total, so a duplicate
 *       update or a lost one shows as a repeated or missing number;</li>
 *   <li>compliance.dead-letter: the {@value Input#ID_HEADER} header of the refused record.</li>
 * </ul>
 * The value kept per record is its full content (Avro record as text, OCSF JSON, dead letter reason + bytes
 * checksum), so a record that is present but different also shows.
 */
final class Outputs {

    static final List<String> DATA_TOPICS = List.of(Topics.VIOLATIONS.name(), Topics.FINDINGS_OCSF.name(),
            Topics.RETENTION.name(), Topics.ROLLUPS_DAILY.name());
    static final List<String> ALL_TOPICS = List.of(Topics.VIOLATIONS.name(), Topics.FINDINGS_OCSF.name(),
            Topics.RETENTION.name(), Topics.ROLLUPS_DAILY.name(), Topics.DEAD_LETTER.name());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** topic -> identity -> values, in the order read. */
    final Map<String, Map<String, List<String>>> byTopic = new LinkedHashMap<>();
    /** identity (on the data topics) -> the event it belongs to; rollups belong to no single event. */
    final Map<String, String> eventOf = new LinkedHashMap<>();
    /** rollup key -> its latest value. */
    final Map<String, String> finalRollups = new LinkedHashMap<>();
    /** dead letters lacking the reason or message header. */
    final List<String> deadLettersWithoutReason = new ArrayList<>();

    private final Deserializer<Violation> violations;
    private final Deserializer<RetentionEvent> retention;
    private final Deserializer<UsageRollup> rollups;

    Outputs(Map<String, ?> serdeConfig) {
        violations = Topics.VIOLATIONS.valueSerde(serdeConfig).deserializer();
        retention = Topics.RETENTION.valueSerde(serdeConfig).deserializer();
        rollups = Topics.ROLLUPS_DAILY.valueSerde(serdeConfig).deserializer();
        ALL_TOPICS.forEach(t -> byTopic.put(t, new LinkedHashMap<>()));
    }

    /** Adds one output record, as read from the topic (raw bytes). */
    void add(String topic, byte[] key, byte[] value, Headers headers) {
        String identity;
        String content;
        String event = null;
        if (topic.equals(Topics.VIOLATIONS.name())) {
            Violation v = violations.deserialize(topic, headers, value);
            identity = v.getViolationId();
            content = v.toString();
            event = v.getEventId();
        } else if (topic.equals(Topics.FINDINGS_OCSF.name())) {
            content = new String(value, StandardCharsets.UTF_8);
            JsonNode finding = json(content);
            identity = finding.path("finding_info").path("uid").asText();
            event = finding.path("resources").path(0).path("uid").asText();
        } else if (topic.equals(Topics.RETENTION.name())) {
            RetentionEvent r = retention.deserialize(topic, headers, value);
            identity = r.getType() == RetentionEventType.SCHEDULED
                    ? "SCHEDULED/" + r.getEventId()
                    : "EXPIRED/" + r.getOrgId() + "/" + r.getEventTime() + "/" + r.getPlan() + "/" + r.getFeature() + "/" + r.getKind();
            content = r.toString();
            event = r.getEventId();
        } else if (topic.equals(Topics.ROLLUPS_DAILY.name())) {
            UsageRollup r = rollups.deserialize(topic, headers, value);
            String rollupKey = new String(key, StandardCharsets.UTF_8);
            identity = rollupKey + " #" + r.getEventCount();
            content = r.toString();
            finalRollups.put(rollupKey, content);
        } else if (topic.equals(Topics.DEAD_LETTER.name())) {
            String id = DeadLetters.header(headers, Input.ID_HEADER);
            String reason = DeadLetters.header(headers, DeadLetters.REASON);
            String message = DeadLetters.header(headers, DeadLetters.MESSAGE);
            identity = id == null ? "(no " + Input.ID_HEADER + " header)" : id;
            if (reason == null || reason.isBlank() || message == null || message.isBlank()) {
                deadLettersWithoutReason.add(identity);
            }
            content = "reason=" + reason + " | value " + checksum(value);
        } else {
            throw new IllegalArgumentException("not an output topic: " + topic);
        }
        byTopic.get(topic).computeIfAbsent(identity, i -> new ArrayList<>()).add(content);
        if (event != null) {
            eventOf.put(identity, event);
        }
    }

    Map<String, List<String>> of(String topic) {
        return byTopic.get(topic);
    }

    int count(String topic) {
        return byTopic.get(topic).values().stream().mapToInt(List::size).sum();
    }

    int count() {
        return DATA_TOPICS.stream().mapToInt(this::count).sum();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("an OCSF finding is not JSON: " + text, e);
        }
    }

    private static String checksum(byte[] value) {
        if (value == null) {
            return "null";
        }
        CRC32 crc = new CRC32();
        crc.update(value);
        return value.length + " bytes, crc32 " + Long.toHexString(crc.getValue());
    }
}
