package dev.compliance.bench.jmh;

import dev.compliance.avro.UsageEvent;
import dev.compliance.bench.EventMix;
import dev.compliance.bench.TopologyHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One usage event through the whole topology in a TopologyTestDriver: decode (Avro, registry cached),
 * validate, versioned org-policy join, catalog join, rules, retention verdict, ledger and rollup
 * stores (RocksDB), and serialization of every output record. No broker, no network, no transactions.
 * Input events cycle over a fixed set of 8192 (event times span 2.3 hours, within the rollup grace).
 * One operation = one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopologyBenchmark {

    private TopologyHarness harness;
    private String[] keys;
    private byte[][] values;
    private Instant[] times;
    private int next;
    private long piped;

    @Setup(Level.Trial)
    public void setup() {
        EventMix mix = new EventMix(Contexts.SEED, Contexts.ORGS);
        harness = new TopologyHarness(Contexts.START);
        harness.publish(mix.policies());
        UsageEvent[] events = Contexts.events(mix);
        keys = new String[events.length];
        values = new byte[events.length][];
        times = new Instant[events.length];
        for (int i = 0; i < events.length; i++) {
            keys[i] = events[i].getOrgId();
            values[i] = harness.encode(events[i]);
            times[i] = events[i].getEventTime();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        harness.drain();
        System.out.printf("%noutput records per input event:");
        harness.outputCounts().forEach((topic, n) -> System.out.printf(" %s=%.3f", topic, (double) n / piped));
        System.out.println();
        harness.close();
    }

    @Benchmark
    public void pipeOneEvent() {
        int i = next;
        next = (next + 1) & (Contexts.SIZE - 1);
        harness.pipe(keys[i], values[i], times[i]);
        if ((++piped & 255) == 0) {
            harness.drain(); // the driver keeps output records until read
        }
    }
}
