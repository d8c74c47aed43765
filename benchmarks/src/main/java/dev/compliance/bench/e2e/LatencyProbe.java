package dev.compliance.bench.e2e;

import dev.compliance.avro.UsageEvent;
import dev.compliance.bench.EventMix;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Produces usage events that certainly violate at a fixed rate and measures, on a read_committed
 * consumer in this JVM, how long each took to come out: receive time minus the event's send time, which
 * is the event's eventTime, read back from the output (a violation's eventTime, the copied event's own).
 * Record timestamps are not used: the input topic may stamp LogAppendTime. The first seconds are a
 * warm-up and are not counted.
 */
final class LatencyProbe {

    /** Latencies in milliseconds of the events sent after the warm-up, one per event. */
    record Result(double ratePerSecond, long sent, long measured, long missing, double p50, double p99, double max) {
    }

    private LatencyProbe() {
    }

    /** What an output record tells about its input event: its id and its eventTime (= the time it was sent). */
    record Origin(String eventId, long sentMillis) {
    }

    /**
     * @param outputTopic where the outcome appears
     * @param originOf    the event an output record belongs to (several violations of one event count once)
     */
    static Result run(String label, String bootstrap, Map<String, Object> serdeConfig, String outputTopic, int partitions,
                      double rate, Duration duration, Duration warmup, long seed, int orgs,
                      Function<ConsumerRecord<byte[], byte[]>, Origin> originOf) {
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(outputTopic, p));
            }
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position);

            AtomicLong sent = new AtomicLong();
            AtomicLong warmupCount = new AtomicLong(-1);
            Thread producer = new Thread(() -> produce(bootstrap, serdeConfig, rate, duration, warmup, seed, orgs, sent, warmupCount),
                    "latency-producer");
            producer.start();

            Map<Long, Long> latencyBySequence = new HashMap<>();
            String prefix = PROBE_PREFIX + seed + "-";
            long drainDeadline = Long.MAX_VALUE;
            long lastPrint = System.nanoTime();
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long received = System.currentTimeMillis();
                    Origin origin = originOf.apply(r);
                    if (origin.eventId().startsWith(prefix)) {
                        latencyBySequence.putIfAbsent(Long.parseLong(origin.eventId().substring(prefix.length())),
                                received - origin.sentMillis());
                    }
                }
                if (drainDeadline == Long.MAX_VALUE && !producer.isAlive()) {
                    drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                }
                if (System.nanoTime() - lastPrint > Duration.ofSeconds(5).toNanos()) {
                    lastPrint = System.nanoTime();
                    System.out.printf("  [%s latency] %,d events sent, %,d seen%n", label, sent.get(), latencyBySequence.size());
                }
                if (!producer.isAlive() && (latencyBySequence.size() >= sent.get() || System.nanoTime() > drainDeadline)) {
                    break;
                }
            }
            long first = Math.max(0, warmupCount.get());
            long[] sorted = latencyBySequence.entrySet().stream().filter(e -> e.getKey() >= first)
                    .mapToLong(Map.Entry::getValue).sorted().toArray();
            long expected = sent.get() - first;
            return new Result(rate, sent.get(), sorted.length, Math.max(0, expected - sorted.length),
                    percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        }
    }

    private static final String PROBE_PREFIX = "probe-";

    private static void produce(String bootstrap, Map<String, Object> serdeConfig, double rate, Duration duration,
                                Duration warmup, long seed, int orgs, AtomicLong sent, AtomicLong warmupCount) {
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all");
        var serializer = Topics.USAGE_EVENTS.valueSerde(serdeConfig).serializer();
        EventMix mix = new EventMix(seed, orgs);
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long warmupEnd = start + warmup.toNanos();
            long n = 0;
            while (System.nanoTime() < end) {
                if (warmupCount.get() < 0 && System.nanoTime() >= warmupEnd) {
                    warmupCount.set(n);
                }
                long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                while (n < due) {
                    long now = System.currentTimeMillis();
                    UsageEvent e = mix.certainViolation(Instant.ofEpochMilli(now));
                    e.setEventId(PROBE_PREFIX + seed + "-" + n);
                    producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, now, e.getOrgId(), e));
                    n++;
                    sent.incrementAndGet();
                }
                LockSupport.parkNanos(500_000);
            }
            producer.flush();
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
