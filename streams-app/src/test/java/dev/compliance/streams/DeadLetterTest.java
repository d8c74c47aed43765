package dev.compliance.streams;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {

    private final PipelineFixture pipeline = new PipelineFixture();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void shouldSendUnreadableBytesToTheDeadLetterTopicAndKeepGoing() {
        pipeline.given(org("acme"));
        pipeline.rawEvents.pipeInput(new TestRecord<>("acme".getBytes(StandardCharsets.UTF_8), new byte[]{7, 1, 2, 3}));
        var good = pipeline.send(pipeline.event("acme", Plan.PRO, Feature.CHAT, DataClass.INTERNAL));

        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).containsExactly(7, 1, 2, 3);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).startsWith("unreadable record:");
        assertThat(pipeline.codesOf(good)).isNotEmpty();
    }

    @Test
    void shouldSendAnEventWithAnUnknownEnumSymbolToTheDeadLetterTopic() throws Exception {
        pipeline.given(org("acme"));
        var newer = new org.apache.avro.Schema.Parser().parse(dev.compliance.avro.UsageEvent.getClassSchema().toString()
                .replace("\"FOUNDRY\"]", "\"FOUNDRY\",\"GEMINI\"]"));
        int id = new dev.compliance.serde.InMemorySchemaRegistryClient(pipeline.scope)
                .register("compliance.usage-events-value", newer);
        var good = pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC).build();
        var record = new org.apache.avro.generic.GenericData.Record(newer);
        for (var field : newer.getFields()) {
            Object v = good.get(field.name());
            record.put(field.name(), v instanceof Enum<?> || v instanceof java.util.List<?> ? null : v);
        }
        record.put("plan", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("plan").schema(), "GEMINI"));
        record.put("feature", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("feature").schema(), "MESSAGES_API"));
        record.put("dataClass", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("dataClass").schema(), "PUBLIC"));
        record.put("action", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("action").schema(), "USE"));
        record.put("source", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("source").schema(), "MANUAL"));
        record.put("dataTags", java.util.List.of());
        record.put("eventTime", good.getEventTime().toEpochMilli());
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(id).array());
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<>(newer).write(record, encoder);
        encoder.flush();

        pipeline.rawEvents.pipeInput(new TestRecord<>("acme".getBytes(StandardCharsets.UTF_8), out.toByteArray()));

        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).startsWith("unreadable record:").contains("GEMINI");
    }

    @Test
    void shouldSendAnEventKeyedByAnotherOrgToTheDeadLetterTopic() {
        var e = pipeline.event("acme", Plan.PRO, Feature.CHAT, DataClass.INTERNAL).build();
        pipeline.events.pipeInput(new TestRecord<>("globex", e, e.getEventTime()));
        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).contains("is not the event's orgId");
    }

    @Test
    void shouldSendAnEventWithoutOrgToTheDeadLetterTopicWithTheReason() {
        pipeline.send(pipeline.event("", Plan.PRO, Feature.CHAT, DataClass.INTERNAL));

        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).isEqualTo("missing orgId");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo("compliance.usage-events");
        assertThat(pipeline.violations.isEmpty()).isTrue();
    }
}
