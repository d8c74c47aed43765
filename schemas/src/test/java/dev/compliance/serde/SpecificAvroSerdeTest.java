package dev.compliance.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpecificAvroSerdeTest {

    private static final String SCOPE = "serde-test";
    private static final String TOPIC = "compliance.usage-events";
    private static final Map<String, Object> CONFIG = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(SCOPE);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistryClient.drop(SCOPE);
    }

    @Test
    void roundTripWritesTheConfluentWireFormat() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, CONFIG, false);
        UsageEvent event = TestRecords.usageEvent("e-1");

        byte[] bytes = serde.serializer().serialize(TOPIC, event);

        int id = registry.latest(TOPIC + "-value").id();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void kafkaStyleConstructionWorksAndFindsTheClassFromTheWriterSchema() {
        SpecificAvroSerde<UsageEvent> serde = new SpecificAvroSerde<>();
        serde.configure(CONFIG, false);
        UsageEvent event = TestRecords.usageEvent("e-2");

        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event))).isEqualTo(event);
    }

    @Test
    void subjectsFollowTheTopicNameStrategy() {
        SpecificAvroSerde.of(UsageEvent.class, CONFIG, true).serializer().serialize("t", TestRecords.usageEvent("k"));
        SpecificAvroSerde.of(UsageEvent.class, CONFIG, false).serializer().serialize("t", TestRecords.usageEvent("v"));

        assertThat(registry.latest("t-key").schema()).isEqualTo(UsageEvent.getClassSchema());
        assertThat(registry.latest("t-value").schema()).isEqualTo(UsageEvent.getClassSchema());
        // ids are global: the same schema has the same id under both subjects
        assertThat(registry.latest("t-key").id()).isEqualTo(registry.latest("t-value").id());
    }

    @Test
    void nullsPassThroughForTombstones() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, CONFIG, false);
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void registryIsAskedOncePerSchemaAndOncePerWriterId() {
        CountingClient counting = new CountingClient(registry);
        SpecificAvroSerde<UsageEvent> serde = new SpecificAvroSerde<>(counting, UsageEvent.class);
        serde.configure(CONFIG, false);

        for (int i = 0; i < 5; i++) {
            byte[] bytes = serde.serializer().serialize(TOPIC, TestRecords.usageEvent("e-" + i));
            serde.deserializer().deserialize(TOPIC, bytes);
        }

        assertThat(counting.registers.get()).isEqualTo(1);
        assertThat(counting.fetches.get()).isEqualTo(1);
    }

    @Test
    void oldWriterIsReadWithTheNewReadersDefaults() {
        Schema old = TestRecords.oldUsageEvent();
        int oldId = registry.register(TOPIC + "-value", old);
        GenericRecord record = new GenericRecordBuilder(old)
            .set("eventId", "old-1").set("eventTime", 1_700_000_000_000L).set("orgId", "org-1").set("userId", "u")
            .set("plan", new GenericData.EnumSymbol(old.getField("plan").schema(), "TEAM"))
            .set("feature", new GenericData.EnumSymbol(old.getField("feature").schema(), "CHAT"))
            .set("dataClass", new GenericData.EnumSymbol(old.getField("dataClass").schema(), "PUBLIC"))
            .build();

        UsageEvent read = SpecificAvroSerde.of(UsageEvent.class, CONFIG, false).deserializer()
            .deserialize(TOPIC, TestRecords.wire(oldId, old, record));

        assertThat(read.getEventId()).isEqualTo("old-1");
        assertThat(read.getPlan()).isEqualTo(Plan.TEAM);
        assertThat(read.getSessionId()).isNull();
        assertThat(read.getRequestCount()).isNull();
        assertThat(read.getIncognito()).isFalse();
    }

    @Test
    void backwardCompatibleNewVersionIsRegisteredAfterTheOldOne() {
        registry.register(TOPIC + "-value", TestRecords.oldUsageEvent());

        SpecificAvroSerde.of(UsageEvent.class, CONFIG, false).serializer().serialize(TOPIC, TestRecords.usageEvent("e"));

        assertThat(registry.latest(TOPIC + "-value").version()).isEqualTo(2);
    }

    @Test
    void incompatibleChangeIsRefusedWith409AndTheReason() {
        registry.register(TOPIC + "-value", UsageEvent.getClassSchema());
        Schema withRequiredField = TestRecords.editedUsageEvent(root -> ((ArrayNode) root.get("fields")).addObject()
            .put("name", "region").put("type", "string").put("doc", "required, no default"));

        assertThat(registry.testCompatibility(TOPIC + "-value", withRequiredField).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register(TOPIC + "-value", withRequiredField))
            .isInstanceOf(IncompatibleSchemaException.class)
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("409")
            .hasMessageContaining("region");

        registry.setCompatibility(TOPIC + "-value", "NONE");
        assertThat(registry.register(TOPIC + "-value", withRequiredField)).isPositive();
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsAClearError() {
        Map<String, Object> config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE, SerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, config, false);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, TestRecords.usageEvent("e")))
            .isInstanceOf(SchemaNotFoundException.class)
            .hasMessageContaining("not registered under subject '" + TOPIC + "-value'");

        int id = registry.register(TOPIC + "-value", UsageEvent.getClassSchema());
        byte[] bytes = serde.serializer().serialize(TOPIC, TestRecords.usageEvent("e"));
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsLatestSchema() {
        registry.register(TOPIC + "-value", UsageEvent.getClassSchema());
        Schema newer = TestRecords.editedUsageEvent(root -> ((ArrayNode) root.get("fields")).addObject()
            .put("name", "region").put("type", "string").put("default", "eu").put("doc", "optional"));
        int newerId = registry.register(TOPIC + "-value", newer);
        Map<String, Object> config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE,
            SerdeConfig.AUTO_REGISTER_SCHEMAS, false, SerdeConfig.USE_LATEST_VERSION, true);
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, config, false);
        UsageEvent event = TestRecords.usageEvent("e");

        byte[] bytes = serde.serializer().serialize(TOPIC, event);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(newerId);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void wrongMagicByteIsRejected() {
        byte[] bytes = serialized();
        bytes[0] = 7;
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
            .isInstanceOf(SerializationException.class)
            .hasMessage("unknown magic byte 0x07 (expected 0x00)");
    }

    @Test
    void tooShortRecordIsRejected() {
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
            .isInstanceOf(SerializationException.class)
            .hasMessage("record too short: 3 bytes (need at least 5: magic byte 0x00 and a 4-byte schema id)");
    }

    @Test
    void unknownSchemaIdIsRejected() {
        byte[] bytes = serialized();
        ByteBuffer.wrap(bytes, 1, 4).putInt(9999);
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
            .isInstanceOf(SchemaNotFoundException.class)
            .hasMessage("schema id 9999 not found in registry mock://" + SCOPE);
    }

    @Test
    void truncatedAvroIsRejected() {
        byte[] bytes = serialized();
        byte[] truncated = Arrays.copyOf(bytes, 12);
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, truncated))
            .isInstanceOf(SerializationException.class)
            .hasMessageStartingWith("Avro decoding failed (schema id ")
            .hasMessageEndingWith("EOFException: the data ended before the record was complete");
    }

    @Test
    void garbageAvroIsRejected() {
        byte[] bytes = serialized();
        Arrays.fill(bytes, 5, bytes.length, (byte) 0xff);
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
            .isInstanceOf(SerializationException.class)
            .hasMessageStartingWith("Avro decoding failed (schema id ")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = serialized();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, longer))
            .isInstanceOf(SerializationException.class)
            .hasMessageEndingWith("3 bytes left after the record");
    }

    @Test
    void enumSymbolTheReaderDoesNotKnowIsRejected() {
        Schema writer = TestRecords.editedUsageEvent(root -> {
            ObjectNode plan = TestRecords.field(root, "plan");
            ObjectNode planEnum = plan.putObject("type");
            planEnum.put("type", "enum").put("name", "Plan").put("namespace", "dev.compliance.avro");
            ArrayNode symbols = planEnum.putArray("symbols");
            for (Plan p : Plan.values()) {
                symbols.add(p.name());
            }
            symbols.add("GALAXY");
        });
        registry.setCompatibility(TOPIC + "-value", "NONE");
        int id = registry.register(TOPIC + "-value", writer);
        GenericRecordBuilder builder = new GenericRecordBuilder(writer)
            .set("eventId", "x").set("eventTime", 1L).set("orgId", "o").set("userId", "u")
            .set("plan", new GenericData.EnumSymbol(writer.getField("plan").schema(), "GALAXY"))
            .set("feature", new GenericData.EnumSymbol(writer.getField("feature").schema(), "CHAT"))
            .set("dataClass", new GenericData.EnumSymbol(writer.getField("dataClass").schema(), "PUBLIC"));
        byte[] bytes = TestRecords.wire(id, writer, builder.build());

        assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
            .isInstanceOf(SerializationException.class)
            .hasMessageStartingWith("Avro decoding failed (schema id " + id + ")")
            .hasMessageContaining("GALAXY");
    }

    @Test
    void missingUrlIsAClearConfigError() {
        assertThatThrownBy(() -> new SpecificAvroSerde<UsageEvent>().configure(Map.of(), false))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("schema.registry.url is required");
    }

    @Test
    void badValuesAreClearConfigErrors() {
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://x", SerdeConfig.AUTO_REGISTER_SCHEMAS, "yes")))
            .isInstanceOf(ConfigException.class).hasMessage("auto.register.schemas must be true or false, got 'yes'");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "localhost:8081")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("must be an http(s)://host:port URL or mock://scope");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://r:8081",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT")))
            .isInstanceOf(ConfigException.class).hasMessage("basic.auth.credentials.source must be USER_INFO or URL, got 'SASL_INHERIT'");
    }

    @Test
    void urlListIsParsed() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://a:8081/, http://b:8081",
            SerdeConfig.SPECIFIC_AVRO_READER, "true"));
        assertThat(config.urls()).isEqualTo(List.of("http://a:8081", "http://b:8081"));
        assertThat(config.autoRegister()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.isMock()).isFalse();
    }

    private byte[] serialized() {
        return SpecificAvroSerde.of(UsageEvent.class, CONFIG, false).serializer().serialize(TOPIC, TestRecords.usageEvent("e"));
    }

    private SpecificAvroDeserializer<UsageEvent> deserializer() {
        SpecificAvroDeserializer<UsageEvent> d = new SpecificAvroDeserializer<>(UsageEvent.class);
        d.configure(CONFIG, false);
        return d;
    }
}
