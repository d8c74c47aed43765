package dev.compliance.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for SpecificRecords in the Confluent wire format, configured with Confluent's property names
 * ({@link SerdeConfig}). Used like Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}:
 * {@code new SpecificAvroSerde<>()} then {@code configure(map, isKey)}, or in one step with {@link #of}.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SchemaRegistryClient givenClient;
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** Kafka's way: construct, then {@link #configure(Map, boolean)}; the record class comes from the writer schema. */
    public SpecificAvroSerde() {
        this(null, null);
    }

    /** Reads into {@code targetClass}. */
    public SpecificAvroSerde(Class<T> targetClass) {
        this(null, targetClass);
    }

    /** Uses the given registry client instead of building one from {@code schema.registry.url}. */
    public SpecificAvroSerde(SchemaRegistryClient client) {
        this(client, null);
    }

    public SpecificAvroSerde(SchemaRegistryClient client, Class<T> targetClass) {
        this.givenClient = client;
        this.serializer = new SpecificAvroSerializer<>(client);
        this.deserializer = new SpecificAvroDeserializer<>(client, targetClass);
    }

    /** A configured serde for {@code targetClass} in one call. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> of(Class<T> targetClass, Map<String, ?> config, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(targetClass);
        serde.configure(config, isKey);
        return serde;
    }

    /** Configures both halves; they share one registry client (and so its cache). */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient shared = givenClient != null ? givenClient
            : SchemaRegistryClient.create(SerdeConfig.from(configs));
        serializer.configure(configs, isKey, shared);
        deserializer.configure(configs, isKey, shared);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
