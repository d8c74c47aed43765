package dev.compliance.bench.jmh;

import dev.compliance.avro.Violation;
import dev.compliance.streams.retention.RetentionCalculator;
import dev.compliance.streams.retention.RetentionVerdict;
import dev.compliance.streams.rules.EventContext;
import dev.compliance.streams.rules.Rules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rules alone: {@link Rules#judge} and {@link RetentionCalculator#decide} on a realistic mix of
 * events already joined with their org policy and catalog row. One operation = one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RulesBenchmark {

    private EventContext[] contexts;
    private int next;

    @Setup
    public void setup() {
        contexts = Contexts.contexts();
    }

    private EventContext nextContext() {
        EventContext c = contexts[next];
        next = (next + 1) & (Contexts.SIZE - 1);
        return c;
    }

    @Benchmark
    public List<Violation> judge() {
        return Rules.judge(nextContext());
    }

    @Benchmark
    public RetentionVerdict decide() {
        return RetentionCalculator.decide(nextContext());
    }

    /** What the topology's judge-against-rules step does per event. */
    @Benchmark
    public void judgeAndDecide(Blackhole bh) {
        EventContext c = nextContext();
        bh.consume(Rules.judge(c));
        bh.consume(RetentionCalculator.decide(c));
    }
}
