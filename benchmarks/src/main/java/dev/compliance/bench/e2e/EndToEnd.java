package dev.compliance.bench.e2e;

import dev.compliance.avro.CatalogEntry;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.bench.EventMix;
import dev.compliance.cli.runtime.TopicSetup;
import dev.compliance.registry.LocalSchemaRegistry;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceStreams;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * End-to-end throughput and latency against a real broker and a real schema registry, the pipeline
 * and a plain exactly-once copy side by side in one run:
 * <ol>
 *   <li>produce a fixed backlog of N usage events (deterministic mix) and publish the catalog and org policies;</li>
 *   <li>drain the backlog with the pipeline (ComplianceStreams, as `compliance run` starts it: ComplianceApp.streamsProperties,
 *       exactly_once_v2), then the same records with the copy (consume-and-produce, byte[] passthrough, exactly-once);</li>
 *   <li>latency: events that certainly violate, produced at a fraction of the pipeline's measured throughput;
 *       event-to-violation time for the pipeline, event-to-copy time for the copy, at the same rate.</li>
 * </ol>
 * Run it with benchmarks/run-e2e.sh.
 */
public final class EndToEnd {

    static final String COPY_TOPIC = "bench.copy";
    /** The topics the pipeline writes (its changelogs besides). */
    static final List<Topics.Topic<?, ?>> OUTPUTS = List.of(Topics.VIOLATIONS, Topics.FINDINGS_OCSF, Topics.RETENTION,
            Topics.ROLLUPS_DAILY, Topics.DEAD_LETTER);
    /** Days of event time the backlog spans (see {@link #backlogStart()}), for the state stores' bytes per org-day. */
    static final int BACKLOG_DAYS = 1;
    /**
     * The backlog's event times (and record timestamps) span the day before the run: they must be recent, because
     * compliance.usage-events keeps records 7 days by timestamp, and the broker deletes older ones, even unread.
     */
    private static Instant backlogStart() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(1));
    }

    private EndToEnd() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(o);
        } catch (RuntimeException e) {
            System.err.println("e2e benchmark failed: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(Options o) {
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        log(t0, "starting the broker (" + (o.bootstrapServers() != null ? "existing cluster" : o.broker()) + ")");
        try (BenchBroker broker = o.bootstrapServers() != null ? BenchBroker.external(o.bootstrapServers()) : BenchBroker.start(o.broker());
             Registry registry = Registry.start(o.registryUrl());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            log(t0, "broker: " + broker.description());
            log(t0, "registry: " + registry.description());
            Map<String, Object> serde = Map.of("schema.registry.url", registry.url());

            new TopicSetup(admin).ensurePipelineTopics((short) 1);
            createCopyTopic(admin);
            long already = endOffsets(admin, Topics.USAGE_EVENTS.name(), Topics.USAGE_EVENTS.partitions());
            if (already > 0) {
                throw new IllegalStateException(Topics.USAGE_EVENTS.name() + " already holds " + already
                        + " records; the benchmark needs an empty cluster");
            }

            EventMix mix = new EventMix(o.seed(), o.orgs());
            log(t0, String.format("producing %,d usage events (%d orgs, seed %d) to %s", o.events(), o.orgs(), o.seed(),
                    Topics.USAGE_EVENTS.name()));
            double produceRate = produceBacklog(bootstrap, serde, mix, o.events(), t0);
            publishCatalogAndPolicies(bootstrap, serde, mix);
            long inputBytes = topicBytes(admin, Topics.USAGE_EVENTS.name());
            log(t0, String.format("backlog ready: %,d events, %,d bytes on the broker (%.0f bytes/event), produced at %,.0f events/s",
                    o.events(), inputBytes, (double) inputBytes / o.events(), produceRate));

            Map<TopicPartition, Long> backlogEnd = endOffsetsByPartition(admin, Topics.USAGE_EVENTS.name(), Topics.USAGE_EVENTS.partitions());

            // (a) the pipeline drains the backlog, then (b) the copy drains the very same records (offsets below backlogEnd)
            Path stateDir = tempDir("bench-streams-state");
            String appId = "bench-pipeline-" + System.currentTimeMillis();
            Map<String, Object> config = new HashMap<>(serde);
            config.put(ComplianceConfig.PSEUDONYM_SECRET, "benchmark-secret-0123456789");
            Map<String, Object> overrides = new HashMap<>(config);
            overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
            overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
            overrides.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            overrides.putAll(o.streamsOverrides());
            if (!o.streamsOverrides().isEmpty()) {
                log(t0, "pipeline: Kafka Streams settings on top of ComplianceApp's: " + o.streamsOverrides());
            }
            log(t0, "pipeline: draining the backlog (" + o.threads() + " stream thread(s), exactly_once_v2)");
            Map<String, Object> producerSettings = producerSettings(ComplianceApp.streamsProperties(bootstrap, overrides));
            Progress.Drain pipeline;
            Map<Double, LatencyProbe.Result> curve = new TreeMap<>();
            Map<String, Long> outputBytes;
            MatchedOutputs matched;
            Footprint.Memory memoryBefore = Footprint.memory(null);
            Footprint.Memory memoryDrained;
            Footprint.Memory memorySteady = null;
            Recording jfr = o.jfr() != null ? startJfr() : null;
            long pipelineStart = System.nanoTime();
            overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (ComplianceStreams streams = new ComplianceStreams(overrides, new ComplianceStreams.Events() {
                @Override
                public void stateChanged(KafkaStreams.State from, KafkaStreams.State to) {
                    log(t0, "pipeline: Kafka Streams " + from + " -> " + to);
                }
            })) {
                streams.start();
                pipeline = Progress.follow("pipeline", admin, appId, Topics.USAGE_EVENTS.name(), o.events(), pipelineStart,
                        Duration.ofMinutes(60), () -> {
                            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.PENDING_ERROR) {
                                throw new IllegalStateException("Kafka Streams failed (state " + streams.state() + ")");
                            }
                        });
                if (jfr != null) {
                    stopJfr(jfr, o.jfr());
                    log(t0, "JFR profile of the drain written to " + o.jfr());
                }
                log(t0, String.format("pipeline: %,.0f events/s sustained (10%%-90%%), %.1f s in all",
                        pipeline.sustainedPerSecond(), pipeline.totalSeconds()));
                memoryDrained = Footprint.memory(streams.metrics());
                outputBytes = new TreeMap<>();
                for (var topic : OUTPUTS) {
                    outputBytes.put(topic.name(), topicBytes(admin, topic.name()));
                }
                outputBytes.put("(changelogs and repartition topics)", topicBytesWithPrefix(admin, appId + "-"));
                log(t0, "output-matched copy: reading back what the pipeline wrote, record by record");
                List<String> written = new java.util.ArrayList<>(OUTPUTS.stream().map(Topics.Topic::name).toList());
                written.addAll(topicsWithPrefix(admin, appId + "-"));
                matched = MatchedOutputs.readFrom(admin, bootstrap, written, backlogEnd);
                log(t0, "output-matched copy will write, per topic: " + matched.records());

                var violations = Topics.VIOLATIONS.valueSerde(serde).deserializer();
                for (double fraction : o.latencyFractions()) {
                    double rate = Math.max(1, fraction * pipeline.sustainedPerSecond());
                    log(t0, String.format("pipeline latency at %.0f%%: %,.0f events/s for %d s, events that certainly violate",
                            100 * fraction, rate, o.latencySeconds()));
                    curve.put(fraction, LatencyProbe.run("pipeline", bootstrap, serde, Topics.VIOLATIONS.name(),
                            Topics.VIOLATIONS.partitions(), rate, Duration.ofSeconds(o.latencySeconds()), warmup(o),
                            o.seed() + 1 + curve.size(), o.orgs(), r -> {
                                Violation v = violations.deserialize(Topics.VIOLATIONS.name(), r.value());
                                return new LatencyProbe.Origin(v.getEventId(), v.getEventTime().toEpochMilli());
                            }));
                    if (fraction == o.copyLatencyFraction()) {
                        memorySteady = Footprint.memory(streams.metrics());
                    }
                }
                streams.close();
            }
            deleteQuietly(stateDir);

            Progress.Drain copy = drainCopy("copy", admin, bootstrap, CopyApp.plain(COPY_TOPIC), backlogEnd, producerSettings, o, t0);
            long copyBytes = topicBytes(admin, COPY_TOPIC);
            Progress.Drain matchedCopy = drainCopy("output-matched copy", admin, bootstrap, matched, backlogEnd, producerSettings, o, t0);
            long matchedBytes = topicBytesWithPrefix(admin, MatchedOutputs.PREFIX);

            double rate = curve.get(o.copyLatencyFraction()).ratePerSecond();
            log(t0, String.format("copy latency: %,.0f events/s for %d s", rate, o.latencySeconds()));
            LatencyProbe.Result copyLatency;
            String latencyGroup = "bench-copy-latency-" + System.currentTimeMillis();
            var usageEvents = Topics.USAGE_EVENTS.valueSerde(serde).deserializer();
            try (CopyApp app = new CopyApp(bootstrap, latencyGroup, Topics.USAGE_EVENTS.name(), Topics.USAGE_EVENTS.partitions(),
                    CopyApp.plain(COPY_TOPIC), o.threads(), true, null, producerSettings)) {
                copyLatency = LatencyProbe.run("copy", bootstrap, serde, COPY_TOPIC, Topics.USAGE_EVENTS.partitions(), rate,
                        Duration.ofSeconds(o.latencySeconds()), warmup(o), o.seed() + 100, o.orgs(),
                        r -> {
                            UsageEvent e = usageEvents.deserialize(Topics.USAGE_EVENTS.name(), r.value());
                            return new LatencyProbe.Origin(e.getEventId(), e.getEventTime().toEpochMilli());
                        });
                app.check();
            }
            report(o, broker, registry, loadBefore, produceRate, inputBytes, producerSettings, pipeline, copy, matchedCopy, curve,
                    copyLatency, outputBytes, copyBytes, matchedBytes,
                    new Memories(memoryBefore, memoryDrained, memorySteady), matched.stores());
            log(t0, "done");
        }
    }

    /** Drains the backlog with a copy (plain or output-matched) and returns its throughput. */
    private static Progress.Drain drainCopy(String label, Admin admin, String bootstrap, CopyApp.Outputs outputs,
                                            Map<TopicPartition, Long> backlogEnd, Map<String, Object> producerSettings, Options o, long t0) {
        String group = "bench-" + label.replace(' ', '-') + "-" + System.currentTimeMillis();
        log(t0, label + ": draining the backlog (" + o.threads() + " thread(s), exactly-once)");
        Progress.Drain drain;
        try (CopyApp app = new CopyApp(bootstrap, group, Topics.USAGE_EVENTS.name(), Topics.USAGE_EVENTS.partitions(),
                outputs, o.threads(), false, backlogEnd, producerSettings)) {
            drain = Progress.follow(label, admin, group, Topics.USAGE_EVENTS.name(), o.events(), System.nanoTime(),
                    Duration.ofMinutes(30), app::check);
            app.check();
        }
        log(t0, String.format("%s: %,.0f events/s sustained (10%%-90%%), %.1f s in all", label, drain.sustainedPerSecond(),
                drain.totalSeconds()));
        return drain;
    }

    /**
     * The producer settings the pipeline's Kafka Streams applies (producer.-prefixed keys and bare producer keys),
     * without the ones each client sets for itself; the copies use them too, so that batching or compression
     * settings are compared like with like.
     */
    static Map<String, Object> producerSettings(java.util.Properties streams) {
        Map<String, Object> out = new TreeMap<>();
        java.util.Set<String> own = java.util.Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.CLIENT_ID_CONFIG,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        streams.forEach((k, v) -> {
            String key = k.toString();
            if (ProducerConfig.configNames().contains(key) && !own.contains(key)) {
                out.putIfAbsent(key, v);
            }
        });
        streams.forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(StreamsConfig.PRODUCER_PREFIX) && !own.contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()))) {
                out.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), v);
            }
        });
        return out;
    }

    static List<String> topicsWithPrefix(Admin admin, String prefix) {
        try {
            return admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
    }

    private static Duration warmup(Options o) {
        return Duration.ofSeconds(Math.max(2, o.latencySeconds() / 5));
    }

    /** The measuring JVM's memory before the pipeline started, after its drain, and after the latency run nearest half load. */
    record Memories(Footprint.Memory before, Footprint.Memory drained, Footprint.Memory steady) {
    }

    private static void report(Options o, BenchBroker broker, Registry registry, String loadBefore, double produceRate, long inputBytes,
                               Map<String, Object> producerSettings, Progress.Drain pipeline, Progress.Drain copy, Progress.Drain matched,
                               Map<Double, LatencyProbe.Result> curve, LatencyProbe.Result cl, Map<String, Long> outputBytes,
                               long copyBytes, long matchedBytes, Memories memory, Map<String, MatchedOutputs.StoreSize> stores) {
        long pipelineOut = outputBytes.values().stream().mapToLong(Long::longValue).sum();
        System.out.println();
        System.out.printf("End-to-end: %,d usage events, %d orgs, seed %d, %d thread(s), %d input partitions, exactly-once%n",
                o.events(), o.orgs(), o.seed(), o.threads(), Topics.USAGE_EVENTS.partitions());
        System.out.println("broker:   " + broker.description());
        System.out.println("registry: " + registry.description());
        if (!o.streamsOverrides().isEmpty()) {
            System.out.println("streams:  ComplianceApp.streamsProperties plus " + o.streamsOverrides());
        }
        System.out.println("producer settings of the pipeline, used by both copies too: "
                + (producerSettings.isEmpty() ? "(Kafka Streams' defaults)" : producerSettings));
        System.out.printf("machine:  %d cores, JVM %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("load:     1/5/15-min load average %s at the start, %s at the end (2 cores, shared)%n", loadBefore, loadAverage());
        System.out.printf("backlog produced at %,.0f events/s; %,d bytes on the broker (%.0f bytes/event)%n%n",
                produceRate, inputBytes, (double) inputBytes / o.events());
        String row = "| %-48s | %12s | %12s | %14s | %11s | %13s |%n";
        System.out.printf(row, "", "pipeline", "plain copy", "matched copy", "p/plain", "p/matched");
        System.out.printf(row, "---", "---:", "---:", "---:", "---:", "---:");
        System.out.printf(row, "**throughput, sustained (10%-90%), ev/s**", n(pipeline.sustainedPerSecond()), n(copy.sustainedPerSecond()),
                n(matched.sustainedPerSecond()), "**" + ratio(pipeline.sustainedPerSecond(), copy.sustainedPerSecond()) + "**",
                "**" + ratio(pipeline.sustainedPerSecond(), matched.sustainedPerSecond()) + "**");
        System.out.printf(row, "throughput, whole drain incl. start-up, ev/s", n(pipeline.overallPerSecond()), n(copy.overallPerSecond()),
                n(matched.overallPerSecond()), ratio(pipeline.overallPerSecond(), copy.overallPerSecond()),
                ratio(pipeline.overallPerSecond(), matched.overallPerSecond()));
        System.out.printf(row, "drain time, s", f1(pipeline.totalSeconds()), f1(copy.totalSeconds()), f1(matched.totalSeconds()), "", "");
        System.out.printf(row, "first commit after start, s", f1(pipeline.firstCommitSeconds()), f1(copy.firstCommitSeconds()),
                f1(matched.firstCommitSeconds()), "", "");
        System.out.printf(row, "bytes written per input event", n((double) pipelineOut / o.events()), n((double) copyBytes / o.events()),
                n((double) matchedBytes / o.events()), ratio(pipelineOut, copyBytes), ratio(pipelineOut, matchedBytes));
        System.out.println();
        System.out.printf("latency curve, event to first violation (pipeline) and event to copy (plain copy, at %.0f %%), ms:%n",
                100 * o.copyLatencyFraction());
        String lrow = "| %-30s | %12s | %8s | %8s | %8s | %10s | %8s |%n";
        System.out.printf(lrow, "load", "rate, ev/s", "p50", "p99", "max", "measured", "missing");
        System.out.printf(lrow, "---", "---:", "---:", "---:", "---:", "---:", "---:");
        curve.forEach((f, r) -> System.out.printf(lrow, String.format("pipeline at %.0f %%", 100 * f), n(r.ratePerSecond()),
                f0(r.p50()), f0(r.p99()), f0(r.max()), n(r.measured()), n(r.missing())));
        System.out.printf(lrow, String.format("plain copy at %.0f %%", 100 * o.copyLatencyFraction()), n(cl.ratePerSecond()),
                f0(cl.p50()), f0(cl.p99()), f0(cl.max()), n(cl.measured()), n(cl.missing()));
        System.out.println();
        System.out.println("memory of the measuring JVM (it hosts the pipeline and the benchmark's clients), MiB:");
        String mrow = "| %-52s | %9s | %9s | %9s |%n";
        System.out.printf(mrow, "", "resident", "heap used", "RocksDB");
        System.out.printf(mrow, "---", "---:", "---:", "---:");
        memoryRow(mrow, "before the pipeline started", memory.before());
        memoryRow(mrow, "after the drain", memory.drained());
        memoryRow(mrow, String.format("steady state: end of the %.0f %% latency run", 100 * o.copyLatencyFraction()), memory.steady());
        System.out.println();
        long orgDays = (long) o.orgs() * BACKLOG_DAYS;
        long storeBytes = stores.values().stream().mapToLong(MatchedOutputs.StoreSize::bytes).sum();
        System.out.printf("state stores after the drain (live keys in their changelogs, key + value bytes): %,d bytes = %,.0f bytes"
                + " per org-day (%d orgs x %d day of events)%n", storeBytes, (double) storeBytes / orgDays, o.orgs(), BACKLOG_DAYS);
        stores.forEach((store, size) -> System.out.printf("  %-40s %,9d keys %,13d bytes  (%,.0f per org-day)%n", store, size.keys(),
                size.bytes(), (double) size.bytes() / orgDays));
        System.out.println();
        System.out.println("pipeline output on the broker (bytes):");
        outputBytes.forEach((topic, bytes) -> System.out.printf("  %-40s %,15d  (%.0f per input event)%n", topic, bytes,
                (double) bytes / o.events()));
        System.out.printf("plain copy output %-26s %,15d%n", COPY_TOPIC, copyBytes);
        System.out.printf("output-matched copy output %-17s %,15d%n", MatchedOutputs.PREFIX + "*", matchedBytes);
        System.out.printf("%nheadline: sustained throughput ratio pipeline/plain copy = %s, pipeline/output-matched copy = %s%n",
                ratio(pipeline.sustainedPerSecond(), copy.sustainedPerSecond()),
                ratio(pipeline.sustainedPerSecond(), matched.sustainedPerSecond()));
    }

    private static void memoryRow(String row, String label, Footprint.Memory m) {
        if (m == null) {
            return;
        }
        System.out.printf(row, label, mib(m.residentBytes()), mib(m.heapUsedBytes()), m.rocksDbBytes() == 0 ? "-" : mib(m.rocksDbBytes()));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format("%,.0f", bytes / 1048576.0);
    }

    private static String n(double v) {
        return String.format("%,.0f", v);
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    private static String f0(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }

    private static String ratio(double a, double b) {
        return b == 0 ? "-" : String.format("%.3f", a / b);
    }

    private static double produceBacklog(String bootstrap, Map<String, Object> serde, EventMix mix, long events, long t0) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long spacingMicros = Math.max(1, 86_400_000_000L / events); // the backlog spans one day of event time
        long start = System.nanoTime();
        Instant first = backlogStart();
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.USAGE_EVENTS.valueSerde(serde).serializer())) {
            for (long i = 0; i < events; i++) {
                UsageEvent e = mix.next(first.plus(i * spacingMicros, java.time.temporal.ChronoUnit.MICROS));
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), null, e.getEventTime().toEpochMilli(), e.getOrgId(), e));
                if ((i + 1) % Math.max(1, events / 10) == 0) {
                    log(t0, String.format("  produced %,d / %,d", i + 1, events));
                }
            }
            producer.flush();
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private static void publishCatalogAndPolicies(String bootstrap, Map<String, Object> serde, EventMix mix) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, CatalogEntry> catalog = new KafkaProducer<>(config, new StringSerializer(),
                Topics.CATALOG.valueSerde(serde).serializer());
             KafkaProducer<String, OrgPolicy> policies = new KafkaProducer<>(config, new StringSerializer(),
                     Topics.ORG_POLICIES.valueSerde(serde).serializer())) {
            for (CatalogEntry row : PolicyCatalog.load().entries()) {
                catalog.send(new ProducerRecord<>(Topics.CATALOG.name(), PolicyCatalog.key(row.getPlan(), row.getFeature()), row));
            }
            for (OrgPolicy p : mix.policies()) {
                policies.send(new ProducerRecord<>(Topics.ORG_POLICIES.name(), null, p.getEffectiveFrom().toEpochMilli(), p.getOrgId(), p));
            }
            catalog.flush();
            policies.flush();
        }
    }

    private static void createCopyTopic(Admin admin) {
        try {
            if (!admin.listTopics().names().get().contains(COPY_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(COPY_TOPIC, Topics.USAGE_EVENTS.partitions(), (short) 1))).all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + COPY_TOPIC + ": " + e.getMessage(), e);
        }
    }

    static Map<TopicPartition, Long> endOffsetsByPartition(Admin admin, String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(specs).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    static long endOffsets(Admin admin, String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(specs).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of the topic's log segments on every broker. */
    static long topicBytes(Admin admin, String topic) {
        return sizes(admin).entrySet().stream().filter(e -> e.getKey().equals(topic)).mapToLong(Map.Entry::getValue).sum();
    }

    static long topicBytesWithPrefix(Admin admin, String prefix) {
        return sizes(admin).entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    private static Map<String, Long> sizes(Admin admin) {
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
            Map<String, Long> bytes = new HashMap<>();
            admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values().forEach(dir ->
                    dir.replicaInfos().forEach((tp, info) -> bytes.merge(tp.topic(), info.size(), Long::sum))));
            return bytes;
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe the broker's log directories: " + e.getMessage(), e);
        }
    }

    private static Recording startJfr() {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.start();
            return r;
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot start JFR: " + e.getMessage(), e);
        }
    }

    private static void stopJfr(Recording r, Path file) {
        try {
            r.stop();
            r.dump(file);
            r.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the JFR recording to " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The machine's load average (Linux), to judge how much other work shared the cores. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void log(long t0, String message) {
        System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, message);
        System.out.flush();
    }

    /** The schema registry: Apicurio started here (a child process), or one given by URL. */
    interface Registry extends AutoCloseable {
        String url();

        String description();

        @Override
        void close();

        static Registry start(String url) {
            if (url != null) {
                return new Registry() {
                    public String url() {
                        return url;
                    }

                    public String description() {
                        return "existing registry at " + url;
                    }

                    public void close() {
                    }
                };
            }
            LocalSchemaRegistry local = LocalSchemaRegistry.start();
            return new Registry() {
                public String url() {
                    return local.url();
                }

                public String description() {
                    return "Apicurio Registry " + LocalSchemaRegistry.VERSION + " (in-memory, child process) at " + local.url();
                }

                public void close() {
                    local.close();
                }
            };
        }
    }
}
