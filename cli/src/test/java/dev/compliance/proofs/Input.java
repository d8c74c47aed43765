package dev.compliance.proofs;

import dev.compliance.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Writes to compliance.usage-events (idempotent producer, acks=all) and remembers every record it wrote,
 * in order: the oracle replays exactly these. Every record carries its id in the {@value #ID_HEADER}
 * header; dead letters keep the original headers, so a dead letter names the record it came from.
 */
final class Input implements AutoCloseable {

    static final String ID_HEADER = "proofs.id";

    /** One record written: a good event or a poison pill ({@code good == false}); value null is a tombstone. */
    record Sent(String id, String kind, boolean good, String key, byte[] value, long timestamp) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Input(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // ride out a broker restart: keep retrying rather than fail the record
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    synchronized void send(Sent record) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ID_HEADER, record.id().getBytes(StandardCharsets.UTF_8));
        sent.add(record);
        producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, record.timestamp(), record.key(),
                record.value(), headers), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acked.incrementAndGet();
            }
        });
    }

    /** Sends {@code total} records made by {@code next} (called with 0, 1, ...), {@code perTick} every {@code tick}. */
    Feed feed(int total, int perTick, Duration tick, IntFunction<Sent> next) {
        return new Feed(total, perTick, tick, next);
    }

    void flush() {
        producer.flush();
        if (failure.get() != null) {
            throw new AssertionError("the input producer failed: " + failure.get(), failure.get());
        }
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    int acked() {
        return acked.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** A paced writer on a timer thread: a producer that keeps writing while the proof breaks things. */
    final class Feed implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proofs-feed");
            t.setDaemon(true);
            return t;
        });
        private final int total;
        private final AtomicInteger written = new AtomicInteger();

        private Feed(int total, int perTick, Duration tick, IntFunction<Sent> next) {
            this.total = total;
            timer.scheduleAtFixedRate(() -> {
                try {
                    for (int i = 0; i < perTick && written.get() < total; i++) {
                        send(next.apply(written.get()));
                        written.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    throw e;
                }
            }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        }

        int written() {
            return written.get();
        }

        /** Waits until every record was handed to the producer and acknowledged by the broker. */
        void awaitDone(Duration bound) {
            Poll.until("the feed to write " + total + " records", bound, () -> {
                if (failure.get() != null) {
                    throw new AssertionError("the feed failed: " + failure.get(), failure.get());
                }
                return written.get() >= total;
            }, () -> written.get() + " written");
            timer.shutdown();
            flush();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
