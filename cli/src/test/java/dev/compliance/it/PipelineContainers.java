package dev.compliance.it;

import dev.compliance.registry.LocalSchemaRegistry;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The real parts of the integration tests: a Kafka broker in a container (image from -Dkafka.image,
 * default apache/kafka:4.3.1; ops/images builds a compatible local image where nothing can be pulled),
 * one per test class so that no two classes see each other's topics, and the Apicurio schema registry
 * (Confluent-compatible API) as a child process on loopback, started once per JVM and shared.
 */
public final class PipelineContainers {

    public static final String KAFKA_IMAGE = System.getProperty("kafka.image", "apache/kafka:4.3.1");

    private static LocalSchemaRegistry registry;

    private PipelineContainers() {
    }

    /** A new single-node broker, started; the caller stops it (try-with-resources or @AfterAll). */
    public static KafkaContainer newBroker() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE).asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withStartupTimeout(Duration.ofMinutes(3));
        kafka.start();
        return kafka;
    }

    public static synchronized String registryUrl() {
        if (registry == null) {
            registry = LocalSchemaRegistry.start();
        }
        return registry.url();
    }

    /** Polls a condition until it holds, or fails after the bound with the description. */
    public static void await(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + bound + " waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
