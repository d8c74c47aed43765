package dev.compliance.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a SpecificRecord. The writer schema comes from the registry by the id in
 * the record and is resolved to the reader schema of the target class, so records written with an older schema
 * (BACKWARD evolution) are read with the new class's defaults. Without a target class the class is found from the
 * writer schema's full name.
 * <p>Every failure is a {@link SerializationException} with a short one-line message, fit for a dead-letter header.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final int HEADER_LENGTH = 5;

    private final Class<T> targetClass;
    private SchemaRegistryClient client;
    private SerdeConfig config;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    /** Kafka's way: construct, then {@link #configure(Map, boolean)}; the class comes from the writer schema. */
    public SpecificAvroDeserializer() {
        this(null, null);
    }

    /** Reads into {@code targetClass}, whatever schema version the writer used. */
    public SpecificAvroDeserializer(Class<T> targetClass) {
        this(null, targetClass);
    }

    /** Uses the given registry client instead of building one from {@code schema.registry.url}. */
    public SpecificAvroDeserializer(SchemaRegistryClient client) {
        this(client, null);
    }

    public SpecificAvroDeserializer(SchemaRegistryClient client, Class<T> targetClass) {
        this.client = client;
        this.targetClass = targetClass;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey, null);
    }

    /** Configures with a registry client shared with the other half of a serde (used when none was given). */
    void configure(Map<String, ?> configs, boolean isKey, SchemaRegistryClient shared) {
        this.config = SerdeConfig.from(SerdeConfig.withDefaultUrl(configs, client != null ? client : shared));
        if (client == null) {
            client = shared != null ? shared : SchemaRegistryClient.create(config);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new SerializationException("SpecificAvroDeserializer used before configure(): set " + SerdeConfig.SCHEMA_REGISTRY_URL);
        }
        if (data.length < HEADER_LENGTH) {
            throw new SerializationException("record too short: " + data.length
                + " bytes (need at least 5: magic byte 0x00 and a 4-byte schema id)");
        }
        if (data[0] != SpecificAvroSerializer.MAGIC_BYTE) {
            throw new SerializationException(String.format("unknown magic byte 0x%02x (expected 0x00)", data[0] & 0xff));
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        DatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Avro decoding failed (schema id " + id + "): " + SerdeErrors.describe(e), e);
        }
        int trailing = trailingBytes(decoder);
        if (trailing > 0) {
            throw new SerializationException("Avro decoding failed (schema id " + id + "): " + trailing + " bytes left after the record");
        }
        return value;
    }

    private DatumReader<T> readerFor(int id) {
        Schema writer = client.getById(id);
        Class<?> type = targetClass != null ? targetClass : SpecificData.get().getClass(writer);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new SerializationException("no SpecificRecord class " + writer.getFullName() + " on the classpath for schema id " + id);
        }
        Schema reader = SpecificData.get().getSchema(type);
        return new SpecificDatumReader<>(writer, reader);
    }

    private static int trailingBytes(BinaryDecoder decoder) {
        try {
            return decoder.isEnd() ? 0 : decoder.inputStream().available();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        // the registry client holds no resources that need closing
    }
}
