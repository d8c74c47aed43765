package dev.compliance.producers.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.FakeTime;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.sink.MemorySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {

    private final FakeTime time = new FakeTime();
    private final MemorySink<UsageEvent> events = new MemorySink<>();
    private final MemorySink<OrgPolicy> policies = new MemorySink<>();
    private final List<String> progress = new ArrayList<>();

    private long run(GeneratorOptions options) {
        return new GeneratorSource(options, events, policies, progress::add, time, time::nanoTime).call();
    }

    @Test
    void sendsTheCountAtTheTargetRate() {
        long sent = run(new GeneratorOptions(GeneratorConfig.defaults(1), 500, 100, false));
        assertThat(sent).isEqualTo(500);
        assertThat(events.records()).hasSize(500);
        assertThat(events.flushes()).isEqualTo(1);
        // 500 events at 100/s, one in the bucket at the start: 4.99 s of (fake) waiting, no more.
        assertThat(time.elapsed()).isBetween(Duration.ofMillis(4980), Duration.ofMillis(5000));
        assertThat(progress).contains("sent 50 of 500 events", "sent 500 of 500 events");
        assertThat(progress.get(progress.size() - 1)).startsWith("done: 500 events in 5.0 s");
        assertThat(policies.records()).isEmpty();
    }

    @Test
    void sendsTheSameEventsAsTheGenerator() {
        run(new GeneratorOptions(GeneratorConfig.defaults(8), 100, 0, false));
        UsageEventGenerator generator = new UsageEventGenerator(GeneratorConfig.defaults(8));
        for (UsageEvent event : events.records()) {
            assertThat(event).isEqualTo(generator.next());
        }
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void publishesPoliciesFirstWhenAsked() {
        run(new GeneratorOptions(GeneratorConfig.defaults(3), 10, 0, true));
        assertThat(policies.records()).isEqualTo(new UsageEventGenerator(GeneratorConfig.defaults(3)).orgPolicies());
        assertThat(progress.get(0)).matches("published \\d+ org policies for 12 orgs");
    }

    @Test
    void stopsWhenTheWaiterSaysStop() {
        time.stopAfterWaits(20);
        long sent = run(new GeneratorOptions(GeneratorConfig.defaults(1), 0, 10, false));
        assertThat(sent).isEqualTo(21);
        assertThat(events.records()).hasSize(21);
        assertThat(events.flushes()).isEqualTo(1);
    }

    @Test
    void anUnlimitedRunStillStops() {
        time.stopAfterWaits(0);
        long sent = run(new GeneratorOptions(GeneratorConfig.defaults(1), 0, 0, false));
        assertThat(sent).isZero();
        assertThat(events.flushes()).isEqualTo(1);
    }

    @Test
    void refusesANegativeCountOrRate() {
        assertThatThrownBy(() -> new GeneratorOptions(GeneratorConfig.defaults(1), -1, 0, false))
                .isInstanceOf(SourceException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> new GeneratorOptions(GeneratorConfig.defaults(1), 1, -5, false))
                .isInstanceOf(SourceException.class).hasMessageContaining("rate");
    }
}
