package dev.compliance.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.compliance.serde.RegistryUnavailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {

    @Test
    void transientErrorsAreFoundAnywhereInTheCauseChain() {
        assertThat(ComplianceStreams.isTransient(new StreamsException(new TimeoutException("metadata")))).isTrue();
        assertThat(ComplianceStreams.isTransient(new StreamsException("task failed",
                new SerializationException("x", new RegistryUnavailableException("registry down", null))))).isTrue();
        assertThat(ComplianceStreams.isTransient(new NotLeaderOrFollowerException("moved"))).isTrue();
        assertThat(ComplianceStreams.isTransient(new StreamsException(new IllegalStateException("bug")))).isFalse();
    }

    @Test
    void theBudgetAllowsSoManyReplacementsPerWindow() {
        ComplianceStreams.ReplacementBudget budget = new ComplianceStreams.ReplacementBudget(2, Duration.ofMinutes(10));
        long minute = Duration.ofMinutes(1).toNanos();

        assertThat(budget.tryUse(0)).isTrue();
        assertThat(budget.tryUse(minute)).isTrue();
        assertThat(budget.tryUse(2 * minute)).isFalse();
        assertThat(budget.tryUse(10 * minute)).isTrue();
        assertThat(budget.tryUse(10 * minute + 1)).isFalse();
        assertThat(budget.tryUse(11 * minute)).isTrue();
    }
}
