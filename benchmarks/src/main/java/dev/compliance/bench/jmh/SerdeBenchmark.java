package dev.compliance.bench.jmh;

import dev.compliance.avro.UsageEvent;
import dev.compliance.bench.EventMix;
import dev.compliance.serde.InMemorySchemaRegistryClient;
import dev.compliance.serde.SpecificAvroDeserializer;
import dev.compliance.serde.SpecificAvroSerializer;
import dev.compliance.topics.Topics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's Avro serde (Confluent wire format) on UsageEvents, with the in-memory registry
 * (mock://): after the first record the schema id is cached, so this is the steady-state cost.
 * One operation = one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {

    private static final String SCOPE = "bench-serde";
    private static final String TOPIC = Topics.USAGE_EVENTS.name();

    private SpecificAvroSerializer<UsageEvent> serializer;
    private SpecificAvroDeserializer<UsageEvent> deserializer;
    private UsageEvent[] events;
    private byte[][] encoded;
    private int next;

    @Setup
    public void setup() {
        Map<String, Object> config = Map.of("schema.registry.url", "mock://" + SCOPE);
        serializer = new SpecificAvroSerializer<>();
        serializer.configure(config, false);
        deserializer = new SpecificAvroDeserializer<>(UsageEvent.class);
        deserializer.configure(config, false);
        events = Contexts.events(new EventMix(Contexts.SEED, Contexts.ORGS));
        encoded = new byte[events.length][];
        long bytes = 0;
        for (int i = 0; i < events.length; i++) {
            encoded[i] = serializer.serialize(TOPIC, events[i]);
            bytes += encoded[i].length;
        }
        System.out.printf("%nmean encoded UsageEvent size: %.1f bytes%n", (double) bytes / events.length);
    }

    @TearDown
    public void tearDown() {
        InMemorySchemaRegistryClient.drop(SCOPE);
    }

    private int nextIndex() {
        int i = next;
        next = (next + 1) & (Contexts.SIZE - 1);
        return i;
    }

    @Benchmark
    public byte[] serialize() {
        return serializer.serialize(TOPIC, events[nextIndex()]);
    }

    @Benchmark
    public UsageEvent deserialize() {
        return deserializer.deserialize(TOPIC, encoded[nextIndex()]);
    }
}
