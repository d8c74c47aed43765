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
    void shouldSendAnEventWithoutOrgToTheDeadLetterTopicWithTheReason() {
        pipeline.send(pipeline.event("", Plan.PRO, Feature.CHAT, DataClass.INTERNAL));

        var dead = pipeline.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).isEqualTo("missing orgId");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo("compliance.usage-events");
        assertThat(pipeline.violations.isEmpty()).isTrue();
    }
}
