package dev.compliance.security;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One attempt by one principal to do one thing on the secured broker, with plain Kafka clients. The
 * outcome is "allowed" when the broker let it through and "refused" when it answered with an
 * authorization or authentication error (the exception is kept for the report). Anything else (a
 * timeout, a network error) fails the test: it proves nothing either way.
 */
final class AccessProbe {

    record Outcome(boolean allowed, String detail) {
        static Outcome refused(Throwable error) {
            return new Outcome(false, error.getClass().getSimpleName());
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final Map<String, Object> client;

    /** @param client the principal's client settings (bootstrap, SASL_SSL, SCRAM credentials, truststore) */
    AccessProbe(Map<String, Object> client) {
        this.client = client;
    }

    /** Reads every partition of a topic from the start, without a consumer group. */
    Outcome read(String topic) {
        return attempt(() -> {
            try (var consumer = consumer(null)) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic, BOUND).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                int records = consumer.poll(Duration.ofSeconds(2)).count();
                return new Outcome(true, "fetched " + records + " record(s)");
            }
        });
    }

    /** Joins a consumer group (subscribing to a topic the principal may read). */
    Outcome joinGroup(String group, String readableTopic) {
        return attempt(() -> {
            try (var consumer = consumer(group)) {
                consumer.subscribe(List.of(readableTopic));
                consumer.poll(Duration.ofSeconds(2));
                return new Outcome(true, "joined " + group);
            }
        });
    }

    /** Writes one small record (idempotent producer, acks=all, as every producer of the pipeline). */
    Outcome write(String topic) {
        return attempt(() -> {
            try (var producer = producer(Map.of())) {
                producer.send(new ProducerRecord<>(topic, "access-probe".getBytes(StandardCharsets.UTF_8), null))
                        .get(BOUND.toSeconds(), TimeUnit.SECONDS);
                return new Outcome(true, "written");
            }
        });
    }

    /** Starts a transactional producer with the given transactional.id. */
    Outcome initTransactions(String transactionalId) {
        return attempt(() -> {
            try (var producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
                producer.initTransactions();
                return new Outcome(true, "transactions initialized");
            }
        });
    }

    Outcome createTopic(String topic) {
        return attempt(() -> {
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(BOUND.toSeconds(), TimeUnit.SECONDS);
                return new Outcome(true, "created");
            }
        });
    }

    Outcome createAcl(AclBinding binding) {
        return attempt(() -> {
            try (Admin admin = Admin.create(client)) {
                admin.createAcls(List.of(binding)).all().get(BOUND.toSeconds(), TimeUnit.SECONDS);
                return new Outcome(true, "ACL created");
            }
        });
    }

    private interface Attempt {
        Outcome run() throws Exception;
    }

    private static Outcome attempt(Attempt attempt) {
        try {
            return attempt.run();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
                    return Outcome.refused(t);
                }
            }
            throw new AssertionError("the probe neither succeeded nor was refused", e);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BOUND.toMillis());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) BOUND.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) BOUND.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putAll(extra);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
