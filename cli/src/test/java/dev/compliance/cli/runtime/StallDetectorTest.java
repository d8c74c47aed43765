package dev.compliance.cli.runtime;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StallDetectorTest {

    static final long BOUND = 60_000;
    final AtomicLong now = new AtomicLong(1_000_000);
    final StallDetector detector = new StallDetector(BOUND, now::get);

    @Test
    void shouldBeHealthyWhileRunningAndProgressing() {
        for (int i = 0; i < 10; i++) {
            now.addAndGet(BOUND);
            assertThat(detector.check(State.RUNNING, i * 100L, 500).healthy()).isTrue();
        }
    }

    @Test
    void shouldBeHealthyWhenIdleWithNoLag() {
        detector.check(State.RUNNING, 7, 0);
        now.addAndGet(10 * BOUND);
        assertThat(detector.check(State.RUNNING, 7, 0).healthy()).isTrue();
    }

    @Test
    void shouldReportAShortRebalanceAsHealthy() {
        detector.check(State.RUNNING, 1, 0);
        detector.check(State.REBALANCING, 1, 0);
        now.addAndGet(BOUND - 1);
        assertThat(detector.check(State.REBALANCING, 1, 0).healthy()).isTrue();
    }

    @Test
    void shouldReportRebalancingBeyondTheBoundWithItsReason() {
        detector.check(State.REBALANCING, 140, 660);
        now.addAndGet(BOUND + 35_000);
        StallDetector.Verdict v = detector.check(State.REBALANCING, 140, 660);
        assertThat(v.healthy()).isFalse();
        assertThat(v.reason()).isEqualTo("REBALANCING for 95 s (bound 60 s, compliance.health.stall.ms)");
    }

    @Test
    void shouldReportRunningWithLagAndNoProgressBeyondTheBound() {
        detector.check(State.RUNNING, 140, 660);
        now.addAndGet(BOUND + 1_000);
        StallDetector.Verdict v = detector.check(State.RUNNING, 140, 660);
        assertThat(v.healthy()).isFalse();
        assertThat(v.reason()).startsWith("no progress for 61 s while the input lags by 660 records");
    }

    @Test
    void shouldReportAStateTheAppCannotWorkInAtOnce() {
        StallDetector.Verdict v = detector.check(State.ERROR, 0, 0);
        assertThat(v.healthy()).isFalse();
        assertThat(v.reason()).isEqualTo("Kafka Streams is ERROR");
    }

    @Test
    void shouldRecoverOnceRunningAndProgressingAgain() {
        detector.check(State.REBALANCING, 140, 660);
        now.addAndGet(2 * BOUND);
        assertThat(detector.check(State.REBALANCING, 140, 660).healthy()).isFalse();
        now.addAndGet(1_000);
        assertThat(detector.check(State.RUNNING, 150, 650).healthy()).isTrue();
    }

    @Test
    void shouldTimeANewRebalanceFromItsOwnStart() {
        detector.check(State.REBALANCING, 1, 0);
        now.addAndGet(BOUND / 2);
        detector.check(State.RUNNING, 2, 0);
        now.addAndGet(BOUND);
        detector.check(State.REBALANCING, 3, 0);
        now.addAndGet(BOUND / 2);
        assertThat(detector.check(State.REBALANCING, 3, 0).healthy()).isTrue();
    }
}
