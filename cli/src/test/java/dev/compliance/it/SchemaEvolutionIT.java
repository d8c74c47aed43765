package dev.compliance.it;

import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.serde.IncompatibleSchemaException;
import dev.compliance.serde.SchemaRegistryClient;
import dev.compliance.serde.SerdeConfig;
import dev.compliance.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Schema evolution against the real registry: a producer on a newer UsageEvent (one more optional
 * field) is read by the running app; a producer on an incompatible change is refused by the registry
 * with its 409 and its reason.
 */
class SchemaEvolutionIT extends PipelineIT {

    private static SchemaRegistryClient registry;

    @BeforeAll
    static void connectToTheRegistry() {
        registry = SchemaRegistryClient.create(SerdeConfig.from(Map.of("schema.registry.url", PipelineContainers.registryUrl())));
    }

    /** UsageEvent with one more field, as a later version of the producers would write it. */
    private static Schema withExtraField(String field) {
        String v1 = UsageEvent.getClassSchema().toString();
        return new Schema.Parser().parse(v1.substring(0, v1.length() - 2)
                + ",{\"name\":\"" + field + "\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Added in v2.\"}]}");
    }

    private static GenericRecord genericEvent(Schema schema, String eventId) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("eventId", eventId);
        r.put("eventTime", Instant.parse("2026-05-01T12:00:00Z").toEpochMilli());
        r.put("orgId", "evolve");
        r.put("userId", "u-1");
        r.put("plan", new GenericData.EnumSymbol(schema.getField("plan").schema(), "FREE"));
        r.put("feature", new GenericData.EnumSymbol(schema.getField("feature").schema(), "CHAT"));
        r.put("dataClass", new GenericData.EnumSymbol(schema.getField("dataClass").schema(), "RESTRICTED"));
        r.put("dataTags", List.of());
        r.put("action", new GenericData.EnumSymbol(schema.getField("action").schema(), "USE"));
        r.put("incognito", false);
        r.put("source", new GenericData.EnumSymbol(schema.getField("source").schema(), "MANUAL"));
        return r;
    }

    @Test
    void shouldReadEventsOfANewerCompatibleSchemaInTheRunningApp() {
        Schema v2 = withExtraField("region");
        GenericRecord event = genericEvent(v2, "evolve-1");
        event.put("region", "eu-west-1");
        try (var producer = pipeline.producer(Serdes.String().serializer(), new GenericAvroSerializer(registry))) {
            producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), "evolve", event));
        }
        var violations = pipeline.readUntil(Topics.VIOLATIONS.name(), Serdes.String().deserializer(),
                Topics.VIOLATIONS.valueSerde(pipeline.config).deserializer(),
                read -> read.stream().anyMatch(r -> r.value().getEventId().equals("evolve-1")));
        assertThat(violations).extracting(r -> r.value().getCode().name()).contains("RESTRICTED_DATA", "UNKNOWN_ORG");
        assertThat(registry.latest(Topics.USAGE_EVENTS.name() + "-value").schema().getField("region")).isNotNull();
    }

    @Test
    void shouldRefuseAnIncompatibleChangeWithTheRegistrysReason() {
        String v1 = UsageEvent.getClassSchema().toString();
        // a new required field without a default: the new schema cannot read the events already written
        Schema breaking = new Schema.Parser().parse(v1.substring(0, v1.length() - 2)
                + ",{\"name\":\"costCenter\",\"type\":\"string\",\"doc\":\"Required, no default: incompatible.\"}]}");
        GenericRecord event = genericEvent(breaking, "evolve-2");
        event.put("costCenter", "cc-1");
        try (var producer = pipeline.producer(Serdes.String().serializer(), new GenericAvroSerializer(registry))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), "evolve", event)))
                    .satisfies(e -> {
                        Throwable t = e;
                        while (t != null && !(t instanceof IncompatibleSchemaException)) {
                            t = t.getCause();
                        }
                        assertThat(t).as("an IncompatibleSchemaException in " + e).isNotNull();
                        assertThat(t.getMessage()).contains("409");
                    });
        }
    }
}
