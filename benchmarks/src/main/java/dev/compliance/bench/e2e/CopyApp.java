package dev.compliance.bench.e2e;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baselines: a consume-and-produce copy of the input topic with the same exactly-once guarantee as
 * the pipeline (read_committed consumer, transactional producer, input offsets committed inside the
 * transaction) and the same cadence as Kafka Streams' exactly_once_v2 (one transaction per thread every
 * 100 ms, producer linger 100 ms). What it writes per input record is its {@link Outputs}: the plain copy
 * writes the record itself, byte[] passthrough ({@link #plain}); the output-matched copy writes what the
 * pipeline wrote ({@link MatchedOutputs}). Each thread owns every T-th partition (static assignment, so no
 * rebalance is measured).
 */
final class CopyApp implements AutoCloseable {

    /** What the copy writes for one input record: records already in bytes, sent as they are. */
    interface Outputs {
        void forEach(ConsumerRecord<byte[], byte[]> input, java.util.function.Consumer<ProducerRecord<byte[], byte[]>> send);
    }

    /** The plain copy: the record itself to {@code topic}, same partition, timestamp, key, value and headers. */
    static Outputs plain(String topic) {
        return (r, send) -> send.accept(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
    }

    static final long COMMIT_INTERVAL_MS = 100; // Kafka Streams' commit.interval.ms default under exactly-once

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param stopAt per input partition, the offset to stop before (the end of the backlog), or null to copy
     *               everything, live, from where {@code fromLatest} says
     */
    CopyApp(String bootstrap, String groupId, String inputTopic, int partitions, Outputs outputs, int threadCount,
            boolean fromLatest, Map<TopicPartition, Long> stopAt, Map<String, Object> producerSettings) {
        for (int t = 0; t < threadCount; t++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int p = t; p < partitions; p += threadCount) {
                mine.add(new TopicPartition(inputTopic, p));
            }
            String transactionalId = groupId + "-" + t;
            Thread thread = new Thread(() -> copy(bootstrap, groupId, transactionalId, mine, outputs, fromLatest, stopAt, producerSettings),
                    "copy-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    private void copy(String bootstrap, String groupId, String transactionalId, List<TopicPartition> partitions,
                      Outputs outputs, boolean fromLatest, Map<TopicPartition, Long> stopAt,
                      Map<String, Object> producerSettings) {
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000, // Kafka Streams' default
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> producerConfig = new HashMap<>(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 100)); // Kafka Streams' producer default
        producerConfig.putAll(producerSettings); // the pipeline's own producer settings, if any (compression, batching)
        producerConfig.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            consumer.assign(partitions);
            if (fromLatest) {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // resolve the seek now, before events are produced
            }
            producer.initTransactions();
            boolean open = false;
            long lastCommit = System.currentTimeMillis();
            Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                if (!records.isEmpty() && !open && !pastStop(records, stopAt)) {
                    producer.beginTransaction();
                    open = true;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (stopAt != null && r.offset() >= stopAt.get(tp)) {
                        consumer.pause(List.of(tp)); // the end of the backlog: later records are not part of it
                        continue;
                    }
                    outputs.forEach(r, producer::send);
                    consumed.put(tp, new OffsetAndMetadata(r.offset() + 1));
                }
                long now = System.currentTimeMillis();
                if (open && now - lastCommit >= COMMIT_INTERVAL_MS) {
                    producer.sendOffsetsToTransaction(consumed, consumer.groupMetadata());
                    producer.commitTransaction();
                    open = false;
                    consumed.clear();
                    lastCommit = now;
                }
            }
            if (open) {
                producer.sendOffsetsToTransaction(consumed, consumer.groupMetadata());
                producer.commitTransaction();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static boolean pastStop(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> stopAt) {
        if (stopAt == null) {
            return false;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.offset() < stopAt.get(new TopicPartition(r.topic(), r.partition()))) {
                return false;
            }
        }
        return true;
    }

    /** Fails with the first error a copy thread met, if any. */
    void check() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the copy failed: " + e, e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        check();
    }
}
