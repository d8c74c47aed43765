package dev.compliance.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Sample records and hand-made schema versions for serde tests. */
final class TestRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestRecords() {
    }

    static UsageEvent usageEvent(String id) {
        return UsageEvent.newBuilder()
            .setEventId(id)
            .setEventTime(Instant.parse("2025-06-01T10:15:30Z"))
            .setOrgId("org-1")
            .setUserId("user-1")
            .setPlan(Plan.ENTERPRISE)
            .setFeature(Feature.CHAT)
            .setDataClass(DataClass.INTERNAL)
            .build();
    }

    /** UsageEvent's schema edited as JSON: the edit gets the record's ObjectNode. */
    static Schema editedUsageEvent(Consumer<ObjectNode> edit) {
        return edited(UsageEvent.getClassSchema(), edit);
    }

    /** A schema edited as JSON: the edit gets the record's ObjectNode. */
    static Schema edited(Schema schema, Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(schema.toString());
            edit.accept(root);
            return new Schema.Parser().parse(root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "old" UsageEvent: without sessionId, requestCount, deviceId and apiUsage (all optional with defaults in the current one). */
    static Schema oldUsageEvent() {
        return editedUsageEvent(root -> removeFields(root, "sessionId", "requestCount", "deviceId", "apiUsage"));
    }

    static void removeFields(ObjectNode root, String... names) {
        ArrayNode fields = (ArrayNode) root.get("fields");
        for (Iterator<JsonNode> it = fields.iterator(); it.hasNext(); ) {
            String name = it.next().get("name").asText();
            for (String n : names) {
                if (n.equals(name)) {
                    it.remove();
                }
            }
        }
    }

    static ObjectNode field(ObjectNode root, String name) {
        for (JsonNode f : root.get("fields")) {
            if (f.get("name").asText().equals(name)) {
                return (ObjectNode) f;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }

    /** A record in the Confluent wire format, written with a generic writer. */
    static byte[] wire(int id, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
