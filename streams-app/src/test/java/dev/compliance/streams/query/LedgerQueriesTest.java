package dev.compliance.streams.query;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.streams.PipelineFixture;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static dev.compliance.streams.PipelineFixture.T0;
import static dev.compliance.streams.PipelineFixture.org;
import static org.assertj.core.api.Assertions.assertThat;

/** The interactive queries over the whole topology's stores (TopologyTestDriver, private state.dir). */
class LedgerQueriesTest {

    private static final LocalDate DAY0 = LocalDate.ofInstant(T0, ZoneOffset.UTC);

    private final PipelineFixture pipeline = new PipelineFixture();
    private final LedgerQueries queries = new LedgerQueries(new LedgerQueries.Stores() {
        @Override
        public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
            return pipeline.driver.getKeyValueStore(name);
        }
    });

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void fixedContentIsHeldUntilTheDayItExpiresAndScheduledOnThatDay() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC)); // FIXED 29 days
        pipeline.send(pipeline.event("acme", Plan.API, Feature.BATCH_API, DataClass.INTERNAL));

        var now = queries.retention("acme", DAY0);
        assertThat(now.heldTotal()).isEqualTo(2);
        assertThat(now.heldByKind()).containsEntry("FIXED", 2L);
        assertThat(now.held()).extracting(LedgerAnswers.Held::effectiveClass).containsExactlyInAnyOrder("PUBLIC", "INTERNAL");
        assertThat(now.schedule()).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo(DAY0.plusDays(29).toString());
            assertThat(p.unit()).isEqualTo("day");
            assertThat(p.count()).isEqualTo(2);
        });
        assertThat(now.worstCaseHorizon()).isEqualTo(DAY0.plusDays(730).toString());

        assertThat(queries.retention("acme", DAY0.plusDays(28)).heldTotal()).isEqualTo(2);
        var gone = queries.retention("acme", DAY0.plusDays(29));
        assertThat(gone.heldTotal()).isZero();
        assertThat(gone.worstCaseHeld()).as("the usage-policy hold may keep a copy for 730 days").isEqualTo(2);
        assertThat(queries.retention("acme", DAY0.minusDays(1)).heldTotal()).as("before it was sent").isZero();
    }

    @Test
    void aDeleteMovesTheOldestUntilDeletedItemOntoItsThirtyDayClock() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.INTERNAL).setEventTime(T0.minus(Duration.ofDays(10))));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC));
        var before = queries.retention("acme", DAY0);
        assertThat(before.untilDeleted().count()).isEqualTo(2);
        assertThat(before.untilDeleted().oldest()).isEqualTo(DAY0.minusDays(10).toString());
        assertThat(before.worstCaseHorizon()).isEqualTo("indefinite");

        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC).setAction(Action.DELETE)
                .setEventTime(T0.plus(Duration.ofDays(1))));
        var after = queries.retention("acme", DAY0.plusDays(1));
        assertThat(after.untilDeleted().count()).isEqualTo(1);
        assertThat(after.untilDeleted().oldest()).isEqualTo(DAY0.toString());
        assertThat(after.heldTotal()).as("the deleted item is held until its 30 days are over").isEqualTo(2);
        assertThat(after.held()).anySatisfy(h -> {
            assertThat(h.effectiveClass()).as("the oldest item (INTERNAL) was deleted").isEqualTo("INTERNAL");
            assertThat(h.count()).isEqualTo(1);
        });
        assertThat(after.schedule()).singleElement().satisfies(p -> assertThat(p.from()).isEqualTo(DAY0.plusDays(31).toString()));
        assertThat(queries.retention("acme", DAY0.plusDays(31)).heldTotal()).isEqualTo(1);
        assertThat(queries.retention("acme", DAY0).untilDeleted().count()).as("as of the day before the delete").isEqualTo(2);
    }

    @Test
    void aDeleteDoesNotRemoveContentSentAfterIt() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC).setEventTime(T0.plus(Duration.ofDays(5))));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC).setAction(Action.DELETE)); // arrives late
        var later = queries.retention("acme", DAY0.plusDays(5));
        assertThat(later.untilDeleted().count()).isEqualTo(1);
        assertThat(later.heldTotal()).as("the later item, and the deleted one on its 30-day clock").isEqualTo(2);
        assertThat(later.held()).anySatisfy(h -> assertThat(h.effectiveClass()).as("nothing was released: no class").isNull());
        assertThat(queries.retention("acme", DAY0).heldTotal()).isEqualTo(1);
    }

    @Test
    void daysOlderThanTheHistoryAreFoldedWithoutChangingTheCounts() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC)); // until deleted
        pipeline.send(pipeline.event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC)); // 29 days
        LocalDate today = DAY0.plusDays(431);
        var before = queries.retention("acme", today);

        pipeline.driver.advanceWallClockTime(Duration.ofDays(431));
        var after = queries.retention("acme", today);
        assertThat(after.heldTotal()).isEqualTo(before.heldTotal()).isEqualTo(1);
        assertThat(after.worstCaseHeld()).isEqualTo(before.worstCaseHeld());
        LocalDate cutoff = RetentionExposure.firstDayKept(today, Duration.ofDays(400));
        try (var all = pipeline.driver.<String, ExposureDelta>getKeyValueStore(RetentionExposure.STORE).all()) {
            all.forEachRemaining(kv -> assertThat(ExposureKey.parse(kv.key).day()).isAfterOrEqualTo(cutoff));
        }
    }

    @Test
    void theExposureCoversFiveYearsByKindWithTheWorstCase() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.MESSAGES_API, DataClass.PUBLIC));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.PUBLIC));
        var exposure = queries.retention("acme", DAY0).exposure();
        assertThat(exposure).hasSize(61);
        assertThat(exposure.get(0).day()).isEqualTo(DAY0.toString());
        assertThat(exposure.get(60).day()).isEqualTo(DAY0.plusYears(5).toString());
        assertThat(exposure.get(60).byKind()).containsEntry("UNTIL_DELETED", 1L);
        assertThat(exposure.get(0).worstCase()).isGreaterThanOrEqualTo(exposure.get(0).byKind().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void anOrgWhoseIdStartsWithAnotherOrgsIdIsNotMixedIn() {
        pipeline.given(org("acme")).given(org("acme|eu"));
        pipeline.send(pipeline.event("acme", Plan.API, Feature.BATCH_API, DataClass.PUBLIC));
        pipeline.send(pipeline.event("acme|eu", Plan.API, Feature.BATCH_API, DataClass.PUBLIC));
        pipeline.send(pipeline.event("acme|eu", Plan.API, Feature.BATCH_API, DataClass.PUBLIC));
        assertThat(queries.retention("acme", DAY0).heldTotal()).isEqualTo(1);
        assertThat(queries.retention("acme|eu", DAY0).heldTotal()).isEqualTo(2);
        assertThat(queries.orgs()).extracting(LedgerAnswers.Org::orgId).containsExactly("acme", "acme|eu");
        assertThat(queries.knows("acme|e")).isFalse();
    }

    @Test
    void violationCountsByCodeAndDayComeFromTheRollupsAndTheFeedIsNewestFirst() {
        pipeline.given(org("acme"));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE).setEventTime(T0.minus(Duration.ofDays(1))));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE));
        pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE));
        var v = queries.violations("acme", DAY0.minusDays(30), DAY0);
        assertThat(v.byCode()).containsEntry("SENSITIVE_WITHOUT_ZDR", 3L);
        assertThat(v.days()).extracting(LedgerAnswers.Day::day).containsExactly(DAY0.toString(), DAY0.minusDays(1).toString());
        assertThat(v.days().get(0).byCode()).containsEntry("SENSITIVE_WITHOUT_ZDR", 2L);

        var recent = queries.recent(2);
        assertThat(recent).hasSize(2);
        assertThat(recent).allSatisfy(r -> {
            assertThat(r.eventTime()).isEqualTo(T0.toString());
            assertThat(r.message()).isNotBlank();
            assertThat(r.citations()).isNotEmpty();
        });
    }

    @Test
    void theRecentStoreKeepsOnlyTheLatestViolations() {
        pipeline.given(org("acme"));
        for (int i = 0; i < RecentViolations.CAPACITY + 5; i++) {
            pipeline.send(pipeline.event("acme", Plan.TEAM, Feature.CHAT, DataClass.SENSITIVE).setEventTime(T0.plusSeconds(i)));
        }
        var recent = queries.recent(Integer.MAX_VALUE);
        assertThat(recent).hasSize(RecentViolations.CAPACITY);
        assertThat(recent.get(0).eventTime()).isEqualTo(T0.plusSeconds(RecentViolations.CAPACITY + 4).toString());
    }
}
