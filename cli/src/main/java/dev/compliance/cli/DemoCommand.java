package dev.compliance.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import dev.compliance.cli.runtime.DemoRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code compliance demo}: the whole pipeline in this process, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline in this process, nothing to install.",
                "On 127.0.0.1 only: a Kafka broker, a schema registry (the local Apicurio Registry distribution),",
                "the topics, the policy catalog, sample org policies, Kafka Streams and the usage-event generator.",
                "Prints progress every second and summary tables at the end.",
                "With --events N it stops once N events were sent and judged; otherwise Ctrl-C stops it."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", defaultValue = "0",
            description = "Events to generate, then stop once every output is read (default 0: until Ctrl-C).")
    long events;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "200",
            description = "Events per second (default 200; 0 = as fast as possible).")
    double rate;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Generator seed: the same seed generates the same events (default 42).")
    long seed;

    @Option(names = "--in-memory-registry",
            description = "Use the serde's in-process schema registry instead of starting a local Apicurio Registry.")
    boolean inMemoryRegistry;

    @Override
    public Integer call() throws InterruptedException {
        DemoRunner.Options options = new DemoRunner.Options(events, rate, seed, Duration.ofSeconds(120), inMemoryRegistry);
        return new DemoRunner(options, System.out).run();
    }
}
