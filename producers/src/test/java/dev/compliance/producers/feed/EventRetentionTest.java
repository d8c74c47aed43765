package dev.compliance.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.SourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventRetentionTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    /** compliance.usage-events as created before it was declared with LogAppendTime. */
    static final EventRetention CREATE_TIME_WEEK = EventRetention.of(Map.of("retention.ms", "604800000",
            "message.timestamp.type", "CreateTime"), "the broker");

    static UsageEvent event(String id, Instant at) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(at).setOrgId("org_1").setUserId("u")
                .setPlan(Plan.ENTERPRISE).setFeature(Feature.CHAT).setDataClass(DataClass.INTERNAL).build();
    }

    @Test
    void asDeclaredTheTopicKeepsEventsOfAnyAgeForItsWholeRetention() {
        EventRetention declared = EventRetention.declared("not allowed to describe the configs of compliance.usage-events");
        assertThat(declared.oldestKept(NOW)).isEmpty();
        assertThat(declared.origin())
                .isEqualTo("the declared configs (not allowed to describe the configs of compliance.usage-events)");
        declared.check("compliance-api/org_1", List.of(event("e1", Instant.parse("2025-01-01T00:00:00Z"))), NOW);
        assertThat(EventRetention.of(Map.of("retention.ms", "-1", "message.timestamp.type", "CreateTime"), "the broker")
                .oldestKept(NOW)).isEmpty();
    }

    @Test
    void onCreateTimeEventsTheTopicKeepsLongEnoughPass() {
        Instant oldestKept = NOW.minus(Duration.ofDays(7)).plus(EventRetention.READ_MARGIN);
        assertThat(CREATE_TIME_WEEK.oldestKept(NOW)).hasValue(oldestKept);
        CREATE_TIME_WEEK.check("compliance-api/org_1", List.of(event("e1", NOW), event("e2", oldestKept)), NOW);
        CREATE_TIME_WEEK.check("compliance-api/org_1", List.of(), NOW);
    }

    /** The recorded fixtures (March 2026) on a machine whose clock says November: the broker would delete them. */
    @Test
    void onCreateTimeAnEventTheBrokerWouldDeleteRefusesThePage() {
        List<UsageEvent> page = List.of(event("e1", NOW), event("capi-act_1", Instant.parse("2026-03-02T09:00:01.120Z")));
        assertThatThrownBy(() -> CREATE_TIME_WEEK.check("compliance-api/org_1", page, NOW))
                .isInstanceOf(SourceException.class)
                .hasMessage("compliance-api/org_1: event capi-act_1 of 2026-03-02T09:00:01.120Z is older than"
                        + " compliance.usage-events keeps events (retention.ms 7 days on CreateTime timestamps, from"
                        + " the broker, less 1 hour for the pipeline to read them): the broker would delete it, so this"
                        + " page was not committed; set message.timestamp.type=LogAppendTime on compliance.usage-events"
                        + " (as declared), raise its retention.ms, or start later (--since, --starting-at)");
        // within the retention, but not an hour before the broker may delete it
        List<UsageEvent> edge = List.of(event("e3", NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(59))));
        assertThatThrownBy(() -> CREATE_TIME_WEEK.check("usage-report/org_1", edge, NOW)).isInstanceOf(SourceException.class);
    }

    @Test
    void durationsReadLikeWords() {
        assertThat(EventRetention.describe(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(EventRetention.describe(Duration.ofDays(400))).isEqualTo("400 days");
        assertThat(EventRetention.describe(Duration.ofHours(30))).isEqualTo("30 hours");
        assertThat(EventRetention.describe(Duration.ofMinutes(90))).isEqualTo("5400000 ms");
    }
}
