package dev.compliance.it;

import dev.compliance.serde.SchemaRegistryClient;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A producer of another version of a schema (a newer client of our topics): writes GenericRecords in
 * the Confluent wire format, registering their schema under {@code <topic>-value} with the real
 * registry — which refuses an incompatible schema with a 409.
 */
final class GenericAvroSerializer implements Serializer<GenericRecord> {

    private final SchemaRegistryClient registry;

    GenericAvroSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public byte[] serialize(String topic, GenericRecord record) {
        int id = registry.register(topic + "-value", record.getSchema());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
