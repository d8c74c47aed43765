package dev.compliance.streams;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Headers of a dead-letter record. Usage events that cannot be decoded or fail validation are routed
 * by the topology's first step with the {@code __streams.errors.*} headers that Kafka Streams' own
 * dead-letter support writes (errors.dead.letter.queue.topic.name, used for the policy and catalog
 * topics), plus {@link #REASON} and {@link #STAGE}, so one consumer reads them all.
 */
public final class DeadLetters {

    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";
    /** Our short reason, on every dead letter the topology routes itself. */
    public static final String REASON = "compliance.dlq.reason";
    /** Which step refused the record. */
    public static final String STAGE = "compliance.dlq.stage";

    private DeadLetters() {
    }

    public static Headers refused(Headers original, String reason, String exception, String topic, int partition, long offset) {
        return refused(original, "decode-and-validate", reason, exception, topic, partition, offset);
    }

    /** The headers of a record refused by the named topology step. */
    public static Headers refused(Headers original, String stage, String reason, String exception, String topic,
                                  int partition, long offset) {
        Headers h = new RecordHeaders(original.toArray());
        put(h, EXCEPTION, exception);
        put(h, MESSAGE, reason);
        put(h, REASON, reason);
        put(h, STAGE, stage);
        put(h, TOPIC, topic);
        put(h, PARTITION, Integer.toString(partition));
        put(h, OFFSET, Long.toString(offset));
        return h;
    }

    public static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers h, String name, String value) {
        h.remove(name);
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
