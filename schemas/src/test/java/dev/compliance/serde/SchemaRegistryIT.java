package dev.compliance.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.ClassificationProfile;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.registry.LocalSchemaRegistry;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The serde and the HTTP client against a real registry: the Apicurio distribution started by LocalSchemaRegistry. */
class SchemaRegistryIT {

    private static LocalSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = LocalSchemaRegistry.start();
        System.out.println("Apicurio registry ready at " + registry.url() + " after " + registry.startupTime().toMillis() + " ms");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
            assertThat(registry.isRunning()).isFalse();
        }
    }

    private static Map<String, Object> config(Object... extra) {
        Map<String, Object> config = new HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }

    private static HttpSchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(SerdeConfig.from(config()));
    }

    @Test
    void roundTripThroughTheSerdeRegistersAndFetchesTheSchema() {
        String topic = "it.round-trip";
        UsageEvent event = TestRecords.usageEvent("rt-1");

        byte[] bytes = SpecificAvroSerde.of(UsageEvent.class, config(), false).serializer().serialize(topic, event);
        // a fresh deserializer with its own client must fetch the writer schema by id from the registry
        UsageEvent read = SpecificAvroSerde.of(UsageEvent.class, config(), false).deserializer().deserialize(topic, bytes);

        assertThat(read).isEqualTo(event);
        SchemaRegistryClient.SchemaVersion latest = client().latest(topic + "-value");
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest.id());
        assertThat(latest.schema()).isEqualTo(UsageEvent.getClassSchema());
        assertThat(client().lookup(topic + "-value", UsageEvent.getClassSchema())).isEqualTo(latest.id());
    }

    @Test
    void secondSerializeAndDeserializeDoNotCallTheRegistry() {
        String topic = "it.cache";
        CountingClient counting = new CountingClient(client());
        SpecificAvroSerde<UsageEvent> serde = new SpecificAvroSerde<>(counting, UsageEvent.class);
        serde.configure(config(), false);

        byte[] first = serde.serializer().serialize(topic, TestRecords.usageEvent("c-1"));
        serde.deserializer().deserialize(topic, first);
        int afterFirst = counting.total();
        byte[] second = serde.serializer().serialize(topic, TestRecords.usageEvent("c-2"));
        serde.deserializer().deserialize(topic, second);
        serde.deserializer().deserialize(topic, first);

        assertThat(afterFirst).isEqualTo(2); // one register, one fetch by id
        assertThat(counting.total()).isEqualTo(afterFirst);
    }

    @Test
    void backwardCompatibleEvolutionIsAcceptedAndOldRecordsReadWithDefaults() {
        String topic = "it.evolution";
        Schema old = TestRecords.oldUsageEvent();
        HttpSchemaRegistryClient client = client();
        int oldId = client.register(topic + "-value", old);
        GenericRecord oldRecord = new GenericRecordBuilder(old)
            .set("eventId", "old-1").set("eventTime", 1_700_000_000_000L).set("orgId", "org-1").set("userId", "u")
            .set("plan", new GenericData.EnumSymbol(old.getField("plan").schema(), "PRO"))
            .set("feature", new GenericData.EnumSymbol(old.getField("feature").schema(), "CHAT"))
            .set("dataClass", new GenericData.EnumSymbol(old.getField("dataClass").schema(), "PUBLIC"))
            .build();
        assertThat(client.testCompatibility(topic + "-value", UsageEvent.getClassSchema()).compatible()).isTrue();

        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, config(), false);
        byte[] newBytes = serde.serializer().serialize(topic, TestRecords.usageEvent("new-1"));
        UsageEvent fromOld = serde.deserializer().deserialize(topic, TestRecords.wire(oldId, old, oldRecord));

        assertThat(client().latest(topic + "-value").version()).isEqualTo(2);
        assertThat(ByteBuffer.wrap(newBytes, 1, 4).getInt()).isNotEqualTo(oldId);
        assertThat(fromOld.getPlan()).isEqualTo(Plan.PRO);
        assertThat(fromOld.getSessionId()).isNull();
        assertThat(fromOld.getRequestCount()).isNull();
        assertThat(fromOld.getDeviceId()).isNull();
        assertThat(fromOld.getApiUsage()).isNull();
    }

    @Test
    void usageEventWithApiUsageIsABackwardCompatibleEvolution() {
        String subject = "it.usage-event-api-usage-value";
        Schema withoutApiUsage = TestRecords.editedUsageEvent(root -> TestRecords.removeFields(root, "apiUsage"));
        HttpSchemaRegistryClient client = client();
        client.register(subject, withoutApiUsage);

        assertThat(client.testCompatibility(subject, UsageEvent.getClassSchema()).compatible()).isTrue();
        assertThat(client.register(subject, UsageEvent.getClassSchema())).isPositive();
    }

    @Test
    void violationWithDeviceIdIsABackwardCompatibleEvolution() {
        String subject = "it.violation-evolution-value";
        Schema withoutDevice = TestRecords.edited(Violation.getClassSchema(), root -> TestRecords.removeFields(root, "deviceId"));
        HttpSchemaRegistryClient client = client();
        client.register(subject, withoutDevice);

        assertThat(client.testCompatibility(subject, Violation.getClassSchema()).compatible()).isTrue();
        assertThat(client.register(subject, Violation.getClassSchema())).isPositive();
    }

    @Test
    void orgPolicyOfVersion2IsABackwardCompatibleEvolutionAndOldRecordsReadWithDefaults() {
        String topic = "it.org-policy-evolution";
        Schema old = TestRecords.edited(OrgPolicy.getClassSchema(),
                root -> TestRecords.removeFields(root, "classificationProfile", "foundryAbuseMonitoringOptOut"));
        HttpSchemaRegistryClient client = client();
        int oldId = client.register(topic + "-value", old);
        GenericRecord oldRecord = new GenericRecordBuilder(old)
            .set("orgId", "org-1").set("effectiveFrom", 1_700_000_000_000L).set("zdrEnabled", true)
            .set("customRetentionDays", 90).build();

        assertThat(client.testCompatibility(topic + "-value", OrgPolicy.getClassSchema()).compatible()).isTrue();
        assertThat(client.register(topic + "-value", OrgPolicy.getClassSchema())).isNotEqualTo(oldId);
        OrgPolicy fromOld = SpecificAvroSerde.of(OrgPolicy.class, config(), false).deserializer()
            .deserialize(topic, TestRecords.wire(oldId, old, oldRecord));

        assertThat(fromOld.getZdrEnabled()).isTrue();
        assertThat(fromOld.getCustomRetentionDays()).isEqualTo(90);
        assertThat(fromOld.getClassificationProfile()).isEqualTo(ClassificationProfile.STANDARD);
        assertThat(fromOld.getFoundryAbuseMonitoringOptOut()).isFalse();
    }

    @Test
    void catalogEntryOfPolicyVersion2IsABackwardCompatibleEvolution() {
        String subject = "it.catalog-evolution-value";
        Schema before = TestRecords.edited(CatalogEntry.getClassSchema(), root -> TestRecords.removeFields(root,
                "zdrAgreement", "zdrConflictNote", "zdrDisablesFeature", "zdrDisablesCitations", "training", "trainingCitations",
                "trainingHoldDays", "trainingHoldCitations", "localTranscriptDefaultDays", "localTranscriptCitations", "classFloors"));
        HttpSchemaRegistryClient client = client();
        client.register(subject, before);

        assertThat(client.testCompatibility(subject, CatalogEntry.getClassSchema()).compatible()).isTrue();
        assertThat(client.register(subject, CatalogEntry.getClassSchema())).isPositive();
    }

    @Test
    void incompatibleChangeIsRefusedWith409AndTheRegistrysReason() {
        String topic = "it.incompatible";
        SpecificAvroSerde.of(UsageEvent.class, config(), false).serializer().serialize(topic, TestRecords.usageEvent("i-1"));
        Schema withRequiredField = TestRecords.editedUsageEvent(root -> ((ArrayNode) root.get("fields")).addObject()
            .put("name", "region").put("type", "string").put("doc", "required, no default"));
        HttpSchemaRegistryClient client = client();

        SchemaRegistryClient.Compatibility check = client.testCompatibility(topic + "-value", withRequiredField);
        assertThat(check.compatible()).isFalse();
        assertThat(String.join(" ", check.messages())).contains("region");
        assertThatThrownBy(() -> client.register(topic + "-value", withRequiredField))
            .isInstanceOf(IncompatibleSchemaException.class)
            .hasMessageContaining("(409")
            .hasMessageContaining("region")
            .hasMessageContaining(registry.url());

        // FORWARD: old readers can read the new schema (they ignore the added field), so the change is now accepted
        client.setCompatibility(topic + "-value", "FORWARD");
        assertThat(client.register(topic + "-value", withRequiredField)).isPositive();
    }

    @Test
    void useLatestVersionWithoutAutoRegisterWritesWithTheRegisteredSchema() {
        String topic = "it.latest";
        int id = client().register(topic + "-value", UsageEvent.getClassSchema());
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class,
            config(SerdeConfig.AUTO_REGISTER_SCHEMAS, "false", SerdeConfig.USE_LATEST_VERSION, "true"), false);
        UsageEvent event = TestRecords.usageEvent("l-1");

        byte[] bytes = serde.serializer().serialize(topic, event);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(event);
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsAClearError() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, config(SerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);
        assertThatThrownBy(() -> serde.serializer().serialize("it.unregistered", TestRecords.usageEvent("u-1")))
            .isInstanceOf(SchemaNotFoundException.class)
            .hasMessageContaining("subject 'it.unregistered-value'")
            .hasMessageContaining("(404");
    }

    @Test
    void unknownSchemaIdIsAClearError() {
        byte[] bytes = SpecificAvroSerde.of(UsageEvent.class, config(), false).serializer().serialize("it.unknown-id", TestRecords.usageEvent("x"));
        ByteBuffer.wrap(bytes, 1, 4).putInt(987_654);

        assertThatThrownBy(() -> SpecificAvroSerde.of(UsageEvent.class, config(), false).deserializer().deserialize("it.unknown-id", bytes))
            .isInstanceOf(SchemaNotFoundException.class)
            .hasMessageStartingWith("schema id 987654 not found in registry " + registry.url() + " (404, error_code 40403)")
            .satisfies(e -> assertThat(((SchemaNotFoundException) e).errorCode()).isEqualTo(40403));
    }

    @Test
    void clientWithBasicAuthStillWorksAgainstARegistryWithoutAuth() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class,
            config(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO", SerdeConfig.BASIC_AUTH_USER_INFO, "svc:secret"), false);
        UsageEvent event = TestRecords.usageEvent("a-1");
        assertThat(serde.deserializer().deserialize("it.auth", serde.serializer().serialize("it.auth", event))).isEqualTo(event);
    }

    @Test
    void unreachableRegistryIsRetriedABoundedNumberOfTimesThenNamed() {
        String url = "http://127.0.0.1:" + HttpSchemaRegistryClientTest.closedPort();
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.of(UsageEvent.class, Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url,
            SerdeConfig.MAX_ATTEMPTS, 3, SerdeConfig.BACKOFF_MS, 5), false);

        assertThatThrownBy(() -> serde.serializer().serialize("it.down", TestRecords.usageEvent("d-1")))
            .isInstanceOf(RegistryUnavailableException.class)
            .hasMessageStartingWith("schema registry at " + url + " unreachable after 3 attempts")
            .hasMessageContaining("could not connect");
    }
}
