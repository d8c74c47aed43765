package dev.compliance.producers.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a producer refused, for compliance.dead-letter: what the producer keeps of it (never content) and why.
 * The reason and stage go in the same headers the topology's dead letters use ({@code compliance.dlq.reason},
 * {@code compliance.dlq.stage}, see streams-app's DeadLetters), so one consumer reads them all.
 *
 * @param key   the org the record was attributed to, or null
 * @param value what is kept of the record (the producer's choice of encoding, for example JSON)
 */
public record DeadLetter(String key, byte[] value, String reason, String stage) {

    public static final String REASON_HEADER = "compliance.dlq.reason";
    public static final String STAGE_HEADER = "compliance.dlq.stage";

    /** The reason and stage as Kafka headers (UTF-8). */
    public Headers kafkaHeaders() {
        Headers headers = new RecordHeaders();
        for (Map.Entry<String, String> header : Map.of(REASON_HEADER, reason, STAGE_HEADER, stage).entrySet()) {
            headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}
