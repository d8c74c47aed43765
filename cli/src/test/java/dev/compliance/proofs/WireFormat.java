package dev.compliance.proofs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.UsageEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Usage events written with another writer schema than the app's, in the Confluent wire format
 * (magic byte 0, 4-byte schema id, Avro binary): what a producer built against a newer schema sends.
 */
final class WireFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireFormat() {
    }

    /**
     * UsageEvent plus {@code count} optional string fields (region1, region2, ...): version 1 + count of the schema,
     * backward compatible, readable by the app once it has fetched it from the registry.
     */
    static Schema withOptionalFields(int count) {
        return edit(root -> {
            for (int i = 1; i <= count; i++) {
                ((ArrayNode) root.get("fields")).addObject()
                        .put("name", "region" + i)
                        .put("doc", "A field the app's own schema does not know (added by a newer producer).")
                        .putNull("default")
                        .set("type", JSON.createArrayNode().add("null").add("string"));
            }
        });
    }

    /** UsageEvent whose Plan enum has one more symbol than the app's: a record using it cannot be read by the app. */
    static Schema withExtraPlanSymbol(String symbol) {
        return edit(root -> {
            for (var field : root.get("fields")) {
                if (field.get("name").asText().equals("plan")) {
                    ((ArrayNode) field.get("type").get("symbols")).add(symbol);
                }
            }
        });
    }

    /** The event as {@code writer} (with schema id {@code id}) after {@code change}, in the wire format. */
    static byte[] encode(int id, Schema writer, UsageEvent event, Consumer<GenericRecord> change) {
        try {
            ByteArrayOutputStream own = new ByteArrayOutputStream();
            BinaryEncoder ownEncoder = EncoderFactory.get().directBinaryEncoder(own, null);
            new SpecificDatumWriter<UsageEvent>(UsageEvent.getClassSchema()).write(event, ownEncoder);
            GenericRecord record = new GenericDatumReader<GenericRecord>(UsageEvent.getClassSchema(), writer)
                    .read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
            change.accept(record);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(id >>> 24);
            out.write(id >>> 16);
            out.write(id >>> 8);
            out.write(id);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GenericData.EnumSymbol symbol(Schema writer, String field, String symbol) {
        return new GenericData.EnumSymbol(writer.getField(field).schema(), symbol);
    }

    private static Schema edit(Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(UsageEvent.getClassSchema().toString());
            change.accept(root);
            return new Schema.Parser().parse(JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
