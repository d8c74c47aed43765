package dev.compliance.cli.runtime;

import dev.compliance.streams.TransactionalPublisher;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a declared topic from its first to its last committed record, as the pipeline sees it
 * (isolation.level=read_committed, no consumer group, nothing committed). For the commands that
 * compare a file with what a topic holds ({@code policy diff}, {@code catalog diff}).
 */
public final class TopicSnapshot {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private TopicSnapshot() {
    }

    /**
     * Every committed record of {@code topic}, partition by partition, in offset order.
     *
     * @param config bootstrap.servers, client security settings and the serde settings
     * @throws IllegalStateException if the topic does not exist or cannot be read within two minutes
     */
    public static <V> List<ConsumerRecord<String, V>> read(Topics.Topic<String, V> topic, Map<String, ?> config) {
        try (var consumer = new KafkaConsumer<>(consumerProperties(config), topic.keySerde().deserializer(), topic.valueSerde(config).deserializer())) {
            var partitions = consumer.partitionsFor(topic.name(), DEADLINE);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist (create it with `compliance topics`)");
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, DEADLINE);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, DEADLINE) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within " + DEADLINE.toSeconds() + " s");
                }
                consumer.poll(POLL).forEach(records::add);
            }
            return records;
        }
    }

    /** Consumer settings: the client ones of {@code config}, read_committed, no group. */
    private static Map<String, Object> consumerProperties(Map<String, ?> config) {
        Map<String, Object> props = TransactionalPublisher.clientProperties(config);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }
}
