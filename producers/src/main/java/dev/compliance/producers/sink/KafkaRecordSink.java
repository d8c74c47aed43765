package dev.compliance.producers.sink;

import dev.compliance.producers.RecordSink;
import dev.compliance.producers.SourceException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records to one topic with an idempotent producer (enable.idempotence=true, acks=all), so a retried send
 * never writes a record twice. Key and record timestamp come from the record (orgId and eventTime for usage events).
 */
public class KafkaRecordSink<T> implements RecordSink<T> {

    private final KafkaProducer<String, T> producer;
    private final String topic;
    private final Function<T, String> key;
    private final Function<T, Long> timestamp;
    private final Function<T, Headers> headers;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final String bootstrap;

    /**
     * @param producerConfig at least bootstrap.servers; the idempotence settings are forced on top
     * @param valueSerializer already configured (for example the project's SpecificAvroSerializer)
     */
    public KafkaRecordSink(Map<String, Object> producerConfig, String topic, Function<T, String> key,
                           Function<T, Long> timestamp, Serializer<T> valueSerializer) {
        this(producerConfig, topic, key, timestamp, record -> null, valueSerializer);
    }

    /** @param headers the headers of each record (null for none); a null timestamp lets the producer stamp it */
    public KafkaRecordSink(Map<String, Object> producerConfig, String topic, Function<T, String> key,
                           Function<T, Long> timestamp, Function<T, Headers> headers, Serializer<T> valueSerializer) {
        this.headers = headers;
        Map<String, Object> config = idempotent(producerConfig);
        this.bootstrap = String.valueOf(config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.topic = topic;
        this.key = key;
        this.timestamp = timestamp;
        try {
            this.producer = new KafkaProducer<>(config, new StringSerializer(), valueSerializer);
        } catch (KafkaException e) {
            throw new SourceException("cannot create a Kafka producer for " + bootstrap + ": " + rootMessage(e), e);
        }
    }

    /** The producer settings every source uses: idempotent, acks=all, bounded blocking when the broker is away. */
    public static Map<String, Object> idempotent(Map<String, Object> base) {
        Map<String, Object> config = new HashMap<>(base);
        if (config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new SourceException("no Kafka bootstrap servers given (bootstrap.servers)");
        }
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        return config;
    }

    @Override
    public void send(T record) {
        failIfFailed();
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp.apply(record), key.apply(record), record,
                            headers.apply(record)),
                    (metadata, error) -> {
                        if (error != null) {
                            firstFailure.compareAndSet(null, error);
                        }
                    });
        } catch (KafkaException e) {
            throw new SourceException("cannot send to " + topic + " at " + bootstrap + ": " + rootMessage(e), e);
        }
    }

    @Override
    public void flush() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw new SourceException("cannot flush to " + topic + " at " + bootstrap + ": " + rootMessage(e), e);
        }
        failIfFailed();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Reports a failed send once; later sends may succeed again (a broker that came back). */
    private void failIfFailed() {
        Exception error = firstFailure.getAndSet(null);
        if (error != null) {
            throw new SourceException("sending to " + topic + " at " + bootstrap + " failed: " + rootMessage(error), error);
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }
}
