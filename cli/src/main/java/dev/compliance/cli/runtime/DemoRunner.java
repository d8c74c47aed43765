package dev.compliance.cli.runtime;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.StopSignal;
import dev.compliance.producers.generator.GeneratorConfig;
import dev.compliance.producers.generator.GeneratorOptions;
import dev.compliance.producers.generator.GeneratorSource;
import dev.compliance.producers.sink.KafkaRecordSink;
import dev.compliance.registry.LocalSchemaRegistry;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.streams.ComplianceStreams;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code compliance demo}: the whole pipeline in this process, on 127.0.0.1 only. An in-process Kafka
 * broker, a local schema registry, the topics, the policy catalog and sample org policies, Kafka
 * Streams, and the usage-event generator; a progress line every second and summary tables at the end.
 *
 * <p>With {@code events > 0} the demo stops once that many events were sent and every output they
 * cause has been read; otherwise it runs until Ctrl-C. Either way it shuts everything down and deletes
 * its temporary directories.
 */
public final class DemoRunner {

    /**
     * @param events               events to generate; 0 runs until Ctrl-C
     * @param ratePerSecond        generator send rate; 0 sends as fast as the broker takes them
     * @param seed                 generator seed: equal seeds give equal event streams
     * @param catchUpTimeout       how long to wait, after the last event was sent, for the outputs
     * @param useInMemoryRegistry  true: the serde's in-process registry instead of a local Apicurio registry
     */
    public record Options(long events, double ratePerSecond, long seed, Duration catchUpTimeout, boolean useInMemoryRegistry) {

        public Options {
            if (events < 0) {
                throw new IllegalArgumentException("--events must be 0 (until Ctrl-C) or more, got " + events);
            }
            if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
                throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or more events per second, got " + ratePerSecond);
            }
        }

        public static Options defaults() {
            return new Options(0, 200, 42, Duration.ofSeconds(120), false);
        }
    }

    static final String APPLICATION_ID = "compliance-demo";
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final Options options;
    private final PrintStream out;
    private final StopSignal stop = new StopSignal();

    public DemoRunner(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Asks a running demo to stop (what Ctrl-C does); it then prints its summary and cleans up. */
    public void stop() {
        stop.stop();
    }

    /**
     * Runs the demo and returns the exit code: 0 when it ended as asked (N events, or Ctrl-C), 1 when the
     * outputs did not catch up in time or a part failed.
     */
    public int run() throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.stop();
            try {
                finished.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "compliance-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runInside();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for `finished`, which is now counted down
            }
        }
    }

    private int runInside() throws InterruptedException {
        out.println("compliance demo: Kafka, a schema registry, Kafka Streams and a generator, all in this process on 127.0.0.1");
        try (PrivateStateDir stateDir = PrivateStateDir.create("compliance-demo-state-");
             EmbeddedKafkaBroker broker = startBroker();
             Registry registry = startRegistry()) {
            Map<String, Object> serdeConfig = Map.of("schema.registry.url", registry.url());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicSetup.Outcome topics = new TopicSetup(admin).ensurePipelineTopics((short) 1);
                out.println("  topics     " + topics.created().size() + " created");
                var schemas = dev.compliance.topics.SchemaSetup.ensure(serdeConfig);
                out.println("  schemas    " + schemas.size() + " subjects registered (" + dev.compliance.topics.SchemaSetup.COMPATIBILITY + ")");
                int rows = CatalogPublisher.publish(PolicyCatalog.load(), broker.bootstrapServers(), serdeConfig);
                out.println("  catalog    " + rows + " rows published to " + Topics.CATALOG.name());
                if (!registry.url().startsWith("mock://")) {
                    out.println("  policies   sample orgs from the generator; your own, from another terminal: ./compliance policy apply"
                            + " examples/policies.yaml --bootstrap-servers " + broker.bootstrapServers() + " --schema-registry-url " + registry.url());
                }
                if (stop.isStopped()) {
                    return 0;
                }
                return runPipeline(broker, admin, serdeConfig, stateDir);
            }
        }
    }

    private int runPipeline(EmbeddedKafkaBroker broker, Admin admin, Map<String, Object> serdeConfig, PrivateStateDir stateDir)
            throws InterruptedException {
        Map<String, Object> settings = new HashMap<>(serdeConfig);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        settings.put(ComplianceConfig.PSEUDONYM_SECRET, randomSecret());

        long streamsStarted = System.nanoTime();
        try (ComplianceStreams streams = new ComplianceStreams(settings, new ComplianceStreams.Events() { });
             HealthServer health = HealthServer.start("127.0.0.1", 0, streams::state, streams::metrics)) {
            streams.start();
            if (!streams.awaitRunning(Duration.ofSeconds(120))) {
                out.println("Kafka Streams did not start (state " + streams.state() + ")");
                return 1;
            }
            out.printf(Locale.ROOT, "  streams    running (%.1f s); health http://127.0.0.1:%d/health, metrics /metrics%n",
                    seconds(Duration.ofNanos(System.nanoTime() - streamsStarted)), health.port());
            dev.compliance.cli.api.LedgerApi.mount(health, streams.kafkaStreams(), settings);
            out.printf(Locale.ROOT, "  console    http://127.0.0.1:%d/  (API http://127.0.0.1:%d/api/orgs)%n", health.port(), health.port());

            try (DemoMonitor monitor = new DemoMonitor(broker.bootstrapServers(), serdeConfig)) {
                monitor.start();
                AtomicReference<RuntimeException> generatorFailure = new AtomicReference<>();
                Thread generator = startGenerator(broker.bootstrapServers(), serdeConfig, generatorFailure);
                long started = System.nanoTime();
                int code = watch(started, admin, monitor, streams, generator, generatorFailure);
                stop.stop();
                generator.join(Duration.ofSeconds(30).toMillis());
                out.print(DemoReport.summary(monitor.snapshot(), Duration.ofNanos(System.nanoTime() - started)));
                return code;
            }
        }
    }

    /** Prints progress every second until the demo is done; returns the exit code. */
    private int watch(long started, Admin admin, DemoMonitor monitor, ComplianceStreams streams, Thread generator,
                      AtomicReference<RuntimeException> generatorFailure) throws InterruptedException {
        long lastEvents = 0;
        long lastTick = started;
        long generatorDoneAt = -1;
        long caughtUpAt = -1;
        int code = 0;
        while (true) {
            boolean stopRequested = !stop.await(TICK);
            long now = System.nanoTime();
            DemoMonitor.Snapshot snapshot = monitor.snapshot();
            long judged = judged(admin);
            double rate = (snapshot.eventsIn() - lastEvents) / Math.max(1e-9, (now - lastTick) / 1e9);
            lastEvents = snapshot.eventsIn();
            lastTick = now;
            out.println(DemoReport.progressLine(Duration.ofNanos(now - started), snapshot, judged, rate));

            if (generatorFailure.get() != null) {
                out.println("generator failed: " + generatorFailure.get().getMessage());
                code = 1;
                break;
            }
            if (streams.failed()) {
                out.println("Kafka Streams failed (see the error above)");
                code = 1;
                break;
            }
            if (stopRequested && generatorDoneAt < 0) {
                out.println("stopping...");
                break;
            }
            if (generatorDoneAt < 0 && !generator.isAlive()) {
                generatorDoneAt = now;
                out.println("all " + options.events() + " events sent; waiting for the outputs to catch up...");
            }
            if (generatorDoneAt >= 0) {
                if (caughtUpAt < 0 && streamsCaughtUp(admin)) {
                    caughtUpAt = now;
                }
                if (caughtUpAt >= 0 && monitor.atEndCheckedAt() > caughtUpAt) {
                    break;
                }
                if (now - generatorDoneAt > options.catchUpTimeout().toNanos()) {
                    out.println("the outputs did not catch up within " + options.catchUpTimeout().toSeconds() + " s");
                    code = 1;
                    break;
                }
                if (stopRequested) {
                    out.println("stopping before the outputs caught up");
                    break;
                }
            }
        }
        return code;
    }

    private Thread startGenerator(String bootstrap, Map<String, Object> serdeConfig, AtomicReference<RuntimeException> failure) {
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        GeneratorOptions generatorOptions = new GeneratorOptions(GeneratorConfig.defaults(options.seed()),
                options.events(), options.ratePerSecond(), true);
        Thread thread = new Thread(() -> {
            try (KafkaRecordSink<UsageEvent> events = new KafkaRecordSink<>(producer, Topics.USAGE_EVENTS.name(),
                         UsageEvent::getOrgId, e -> e.getEventTime().toEpochMilli(),
                         Topics.USAGE_EVENTS.valueSerde(serdeConfig).serializer());
                 KafkaRecordSink<OrgPolicy> policies = new KafkaRecordSink<>(producer, Topics.ORG_POLICIES.name(),
                         OrgPolicy::getOrgId, p -> p.getEffectiveFrom().toEpochMilli(),
                         Topics.ORG_POLICIES.valueSerde(serdeConfig).serializer())) {
                // the progress line already counts events: keep the generator's other lines only
                Progress progress = line -> {
                    if (!line.startsWith("sent ")) {
                        out.println("  generator  " + line);
                    }
                };
                new GeneratorSource(generatorOptions, events, policies, progress, stop, System::nanoTime).call();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "demo-generator");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Usage events whose outputs Kafka Streams has committed (its committed offsets on the input topic). */
    private static long judged(Admin admin) {
        return committedInputOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when Kafka Streams has committed every event on the input topic. */
    private static boolean streamsCaughtUp(Admin admin) {
        Map<TopicPartition, Long> committed = committedInputOffsets(admin);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < Topics.USAGE_EVENTS.partitions(); p++) {
            latest.put(new TopicPartition(Topics.USAGE_EVENTS.name(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        get(admin.listOffsets(latest).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private static Map<TopicPartition, Long> committedInputOffsets(Admin admin) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                get(admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> input = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (offset != null && tp.topic().equals(Topics.USAGE_EVENTS.name())) {
                input.put(tp, offset.offset());
            }
        });
        return input;
    }

    private EmbeddedKafkaBroker startBroker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        out.printf(Locale.ROOT, "  kafka      ready at %s (%.1f s)%n", broker.bootstrapServers(), seconds(broker.startupTime()));
        return broker;
    }

    /** The local Apicurio registry, or the serde's in-process one when asked for or when no distribution is at hand. */
    private Registry startRegistry() {
        if (!options.useInMemoryRegistry()) {
            try {
                LocalSchemaRegistry.locateDistribution();
            } catch (IllegalStateException e) {
                out.println("  registry   no local Apicurio Registry distribution (" + e.getMessage() + ")");
                return inMemoryRegistry();
            }
            LocalSchemaRegistry registry = LocalSchemaRegistry.start();
            out.printf(Locale.ROOT, "  registry   Apicurio ready at %s (%.1f s)%n", registry.url(), seconds(registry.startupTime()));
            return new Registry(registry.url(), registry);
        }
        return inMemoryRegistry();
    }

    private Registry inMemoryRegistry() {
        String url = "mock://compliance-demo-" + System.nanoTime();
        out.println("  registry   in-process (" + url + ")");
        return new Registry(url, null);
    }

    /** A registry URL and, for a local Apicurio registry, the process to stop. */
    private record Registry(String url, LocalSchemaRegistry process) implements AutoCloseable {
        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the in-process broker did not answer: " + e.getMessage(), e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
