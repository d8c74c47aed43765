package dev.compliance.cli.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.Violation;
import dev.compliance.avro.ViolationCode;
import dev.compliance.streams.DeadLetters;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the demo's input and output topics from the beginning (read_committed, so only what Kafka
 * Streams committed) on its own thread and keeps counts: events in, violations by code and by org,
 * retention schedules by kind, OCSF findings, dead letters by reason.
 */
final class DemoMonitor implements AutoCloseable {

    /** The counts at one moment. */
    record Snapshot(long eventsIn, Map<ViolationCode, Long> violationsByCode, Map<String, Long> violationsByOrg,
                    Map<RetentionKind, Long> retentionByKind, long retentionExpired, long findings,
                    Map<String, Long> deadLettersByReason) {

        long violations() {
            return violationsByCode.values().stream().mapToLong(Long::longValue).sum();
        }

        long retentionScheduled() {
            return retentionByKind.values().stream().mapToLong(Long::longValue).sum();
        }

        long deadLetters() {
            return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final Duration END_CHECK_INTERVAL = Duration.ofMillis(500);
    private static final int MAX_REASON_LENGTH = 80;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Violation> violations;
    private final Deserializer<RetentionEvent> retention;
    private final Thread thread;

    private long eventsIn;
    private final Map<ViolationCode, Long> byCode = new EnumMap<>(ViolationCode.class);
    private final Map<String, Long> byOrg = new TreeMap<>();
    private final Map<RetentionKind, Long> byKind = new EnumMap<>(RetentionKind.class);
    private long expired;
    private long findings;
    private final Map<String, Long> deadLetters = new TreeMap<>();

    private volatile long atEndCheckedAt = -1;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    DemoMonitor(String bootstrapServers, Map<String, ?> serdeConfig) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "compliance-demo-monitor"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.violations = Topics.VIOLATIONS.valueSerde(serdeConfig).deserializer();
        this.retention = Topics.RETENTION.valueSerde(serdeConfig).deserializer();
        this.thread = new Thread(this::loop, "demo-monitor");
        thread.setDaemon(true);
    }

    void start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topics.Topic<?, ?> topic : List.of(Topics.USAGE_EVENTS, Topics.VIOLATIONS, Topics.RETENTION,
                Topics.FINDINGS_OCSF, Topics.DEAD_LETTER)) {
            consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(eventsIn, new EnumMap<>(byCode), new TreeMap<>(byOrg), new EnumMap<>(byKind),
                expired, findings, new TreeMap<>(deadLetters));
    }

    /**
     * When (System.nanoTime) the monitor last found itself at the end of every topic it reads, or -1 if it
     * was behind at its last check. A value later than some instant T means: everything committed before T
     * has been counted.
     */
    long atEndCheckedAt() {
        if (failure != null) {
            throw failure;
        }
        return atEndCheckedAt;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long nextEndCheck = System.nanoTime();
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    count(record);
                }
                if (System.nanoTime() >= nextEndCheck) {
                    long checkedAt = System.nanoTime();
                    atEndCheckedAt = atEnd() ? checkedAt : -1;
                    nextEndCheck = checkedAt + END_CHECK_INTERVAL.toNanos();
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            failure = new IllegalStateException("the demo monitor stopped reading: " + e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean atEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private synchronized void count(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (topic.equals(Topics.USAGE_EVENTS.name())) {
            eventsIn++;
        } else if (topic.equals(Topics.VIOLATIONS.name())) {
            Violation violation = violations.deserialize(topic, record.headers(), record.value());
            byCode.merge(violation.getCode(), 1L, Long::sum);
            byOrg.merge(violation.getOrgId(), 1L, Long::sum);
        } else if (topic.equals(Topics.RETENTION.name())) {
            RetentionEvent event = retention.deserialize(topic, record.headers(), record.value());
            if (event.getType() == RetentionEventType.EXPIRED) {
                expired++;
            } else {
                byKind.merge(event.getKind(), 1L, Long::sum);
            }
        } else if (topic.equals(Topics.FINDINGS_OCSF.name())) {
            findings++;
        } else if (topic.equals(Topics.DEAD_LETTER.name())) {
            deadLetters.merge(reason(record), 1L, Long::sum);
        }
    }

    private static String reason(ConsumerRecord<byte[], byte[]> record) {
        for (String name : List.of(DeadLetters.REASON, DeadLetters.EXCEPTION)) {
            Header header = record.headers().lastHeader(name);
            if (header != null && header.value() != null) {
                String reason = new String(header.value(), StandardCharsets.UTF_8);
                return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 3) + "...";
            }
        }
        return "no reason given";
    }
}
