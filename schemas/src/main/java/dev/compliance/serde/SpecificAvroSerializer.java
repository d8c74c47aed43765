package dev.compliance.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a SpecificRecord in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then Avro
 * binary. The subject is {@code <topic>-value} or {@code <topic>-key} (TopicNameStrategy).
 * <p>Which schema id is used: with {@code auto.register.schemas=true} (default) the record's schema is registered
 * (once per subject, then cached); otherwise with {@code use.latest.version=true} the subject's latest schema is
 * used and the record is converted to it; otherwise the record's schema must already be registered.
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    static final byte MAGIC_BYTE = 0;

    private SchemaRegistryClient client;
    private SerdeConfig config;
    private boolean isKey;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<String, SchemaRegistryClient.SchemaVersion> latestBySubject = new ConcurrentHashMap<>();

    /** Kafka's way: construct, then {@link #configure(Map, boolean)}. */
    public SpecificAvroSerializer() {
    }

    /** Uses the given registry client instead of building one from {@code schema.registry.url}. */
    public SpecificAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey, null);
    }

    /** Configures with a registry client shared with the other half of a serde (used when none was given). */
    void configure(Map<String, ?> configs, boolean isKey, SchemaRegistryClient shared) {
        this.config = SerdeConfig.from(SerdeConfig.withDefaultUrl(configs, client != null ? client : shared));
        this.isKey = isKey;
        if (client == null) {
            client = shared != null ? shared : SchemaRegistryClient.create(config);
        }
    }

    /** The subject a topic's records are registered under. */
    public String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (config == null) {
            throw new SerializationException("SpecificAvroSerializer used before configure(): set " + SerdeConfig.SCHEMA_REGISTRY_URL);
        }
        String subject = subject(topic);
        Schema schema = record.getSchema();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            if (config.autoRegister() || !config.useLatestVersion()) {
                int id = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                    .computeIfAbsent(schema, s -> config.autoRegister() ? client.register(subject, s) : client.lookup(subject, s));
                writeHeader(out, id);
                new SpecificDatumWriter<T>(schema).write(record, encoder);
            } else {
                SchemaRegistryClient.SchemaVersion latest = latestBySubject.computeIfAbsent(subject, client::latest);
                writeHeader(out, latest.id());
                if (latest.schema().equals(schema)) {
                    new SpecificDatumWriter<T>(schema).write(record, encoder);
                } else {
                    writeAs(record, schema, latest, encoder);
                }
            }
            encoder.flush();
            return out.toByteArray();
        } catch (SerializationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Avro encoding failed for " + schema.getFullName() + " on topic " + topic + ": "
                + SerdeErrors.describe(e), e);
        }
    }

    /** use.latest.version with a record of an older schema: resolve the record into the latest schema, then write it. */
    private void writeAs(T record, Schema own, SchemaRegistryClient.SchemaVersion latest, BinaryEncoder encoder) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        BinaryEncoder tmp = EncoderFactory.get().directBinaryEncoder(buffer, null);
        new SpecificDatumWriter<T>(own).write(record, tmp);
        Object converted = new GenericDatumReader<>(own, latest.schema())
            .read(null, DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
        new GenericDatumWriter<>(latest.schema()).write(converted, encoder);
    }

    private static void writeHeader(ByteArrayOutputStream out, int id) {
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
    }

    @Override
    public void close() {
        // the registry client holds no resources that need closing
    }
}
