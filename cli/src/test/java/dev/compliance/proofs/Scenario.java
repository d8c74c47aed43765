package dev.compliance.proofs;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.cli.runtime.TopicSetup;
import dev.compliance.serde.SerdeConfig;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One proof's world: a fresh broker with the pipeline's topics, the shared registry, the catalog and
 * the org policies published, an input writer, and the app under test (restartable, same settings and
 * state directory each time). {@link #verify} stops the app, replays the input through the {@link Oracle}
 * and reads every output topic with isolation.level=read_committed.
 */
final class Scenario implements AutoCloseable {

    static final String APP_ID_PREFIX = "proofs-";
    static final String APP_OVERRIDE_PREFIX = "proofs.app.";

    final String name;
    final Path dir;
    final Registry registry;
    final Broker broker;
    final Traffic traffic;
    final Input input;
    final Map<String, Object> serdeConfig;
    final Map<String, String> appSettings = new HashMap<>();
    private final Admin admin;
    private final Serializer<UsageEvent> eventSerializer;
    private final long startedAt = System.nanoTime();
    private List<OrgPolicy> policies = List.of();
    private Outputs lastFound;
    private AppProcess app;
    private int incarnations;

    /**
     * @param appOverrides extra settings for the app under test (e.g. the registry client's timeouts)
     */
    Scenario(String name, long seed, int events, Registry registry, Map<String, String> appOverrides) {
        this.name = name;
        this.dir = Path.of(System.getProperty("proofs.dir", "target/proofs")).resolve(name).toAbsolutePath();
        this.registry = registry;
        deleteTree(dir); // a state directory left by an earlier run would belong to another broker
        this.broker = Broker.start();
        log("broker up at " + broker.bootstrapServers());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        try {
            new TopicSetup(admin).ensurePipelineTopics((short) 1);
        } catch (RuntimeException e) {
            admin.close();
            broker.close();
            throw e;
        }
        this.serdeConfig = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        this.eventSerializer = Topics.USAGE_EVENTS.valueSerde(serdeConfig).serializer();
        this.traffic = new Traffic(seed, name, events);
        this.input = new Input(broker.bootstrapServers());

        appSettings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        appSettings.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID_PREFIX + name);
        appSettings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        appSettings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        // static membership: a restarted instance takes its partitions back at once; a short session timeout
        // drops the member of a replaced stream thread (whose successor joins under a new instance id) quickly
        appSettings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "proofs-app");
        appSettings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        appSettings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1500");
        appSettings.put(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        appSettings.put(ComplianceConfig.PSEUDONYM_SECRET, "proofs-pseudonym-secret-0123456789");
        // retention expiry runs on wall-clock time; hourly keeps EXPIRED records out of a run (the oracle has no wall clock)
        appSettings.put(ComplianceConfig.EXPIRY_CHECK_INTERVAL_MS, "3600000");
        appSettings.putAll(appOverrides);
        // -Dproofs.app.<setting>=<value> reaches the app under test, e.g. -Dproofs.app.processing.guarantee=at_least_once
        // to watch the proofs catch the duplicates that at-least-once produces after a crash
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(APP_OVERRIDE_PREFIX))
                .forEach(k -> appSettings.put(k.substring(APP_OVERRIDE_PREFIX.length()), System.getProperty(k)));
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** The bundled catalog (compliance.catalog) and the traffic's org policies (timestamp = effectiveFrom). */
    void publishCatalogAndPolicies() {
        CatalogPublisher.publish(PolicyCatalog.load(), bootstrap(), serdeConfig);
        policies = traffic.policies();
        try (KafkaProducer<String, OrgPolicy> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), Topics.ORG_POLICIES.valueSerde(serdeConfig).serializer())) {
            for (OrgPolicy p : policies) {
                producer.send(new ProducerRecord<>(Topics.ORG_POLICIES.name(), null, p.getEffectiveFrom().toEpochMilli(), p.getOrgId(), p));
            }
            producer.flush();
        }
    }

    /** Starts the next incarnation of the app and waits for RUNNING. */
    AppProcess startApp() {
        app = AppProcess.start(dir, appSettings, ++incarnations);
        app.awaitRunning(Duration.ofMinutes(3));
        log("app incarnation " + incarnations + " (pid " + app.pid() + ") RUNNING");
        return app;
    }

    AppProcess app() {
        return app;
    }

    int incarnations() {
        return incarnations;
    }

    /** A good event in the app's own schema version (registered by the serializer on first use). */
    Input.Sent good(UsageEvent e) {
        return new Input.Sent(e.getEventId(), "event", true, e.getOrgId(),
                eventSerializer.serialize(Topics.USAGE_EVENTS.name(), e), e.getEventTime().toEpochMilli());
    }

    /** A good event written with another (registered) schema version. */
    Input.Sent good(UsageEvent e, byte[] value, String kind) {
        return new Input.Sent(e.getEventId(), kind, true, e.getOrgId(), value, e.getEventTime().toEpochMilli());
    }

    byte[] encode(UsageEvent e) {
        return eventSerializer.serialize(Topics.USAGE_EVENTS.name(), e);
    }

    // ---------------------------------------------------------------- progress of the app

    /** The app's committed offsets on a topic, summed over partitions; -1 while the broker does not answer. */
    long committed(String topic) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committedOffsets();
        return offsets == null ? -1 : offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().offset()).sum();
    }

    /** End offsets of a topic (read_uncommitted), summed over partitions. */
    long end(String topic) {
        return offsets(topic, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED).values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when the app has committed past every record of the topic. */
    boolean caughtUp(String topic) {
        long end = end(topic);
        return end >= 0 && committed(topic) == end;
    }

    void awaitCaughtUp(String topic, Duration bound) {
        Poll.until("the app to commit every record of " + topic, bound, () -> caughtUp(topic), () -> stallReport(topic));
    }

    /**
     * What a stalled app looks like from outside and inside: committed offset and end offset per partition,
     * its last state line, the stack of each stream thread (a jcmd thread dump of the app's process, kept beside
     * its log), and the open transactions on the group's {@code __consumer_offsets} partition with what the
     * transaction coordinator says of them ({@link OpenTransactions}); also written to {@code stall-report.txt}.
     */
    String stallReport(String topic) {
        StringBuilder report = new StringBuilder("committed " + committed(topic) + " of " + end(topic) + "; lag per partition:");
        Map<TopicPartition, Long> ends = offsets(topic, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, OffsetAndMetadata> answered = committedOffsets();
        Map<TopicPartition, OffsetAndMetadata> committed = answered == null ? Map.of() : answered;
        ends.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparingInt(TopicPartition::partition)))
                .forEach(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    long at = c == null ? 0 : c.offset();
                    report.append(' ').append(e.getKey().partition()).append('=').append(e.getValue() - at);
                });
        if (app != null) {
            report.append("; last state: ").append(app.lastState()).append("; app log: ").append(app.lastLines());
            String stacks = AppProcess.streamThreadStacks(app.threadDump());
            report.append(stacks.isEmpty() ? "; no stream thread stack (process gone or jcmd failed)" : "\nstream threads:\n" + stacks);
        }
        report.append('\n').append(OpenTransactions.report(admin, APP_ID_PREFIX + name));
        try {
            Files.writeString(dir.resolve("stall-report.txt"), report);
        } catch (IOException e) {
            // the report is also in the failure message
        }
        return report.toString();
    }

    /** The app's committed offsets (partitions without a commit left out); null while the broker does not answer. */
    private Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(APP_ID_PREFIX + name)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null) {
                    present.put(tp, o);
                }
            });
            return present;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return null; // broker restarting: no answer yet
        }
    }

    private Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec, IsolationLevel isolation) {
        try {
            int partitions = Topics.ALL.stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow().partitions();
            Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> spec));
            return admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Map.of(new TopicPartition(topic, 0), -1L);
        }
    }

    // ---------------------------------------------------------------- the verdict

    /**
     * Waits until the app has committed the whole input, stops it (SIGTERM), then compares the oracle's
     * outputs with every committed output record.
     */
    Verdict verify(String faults, Duration drainBound) {
        input.flush();
        awaitCaughtUp(Topics.USAGE_EVENTS.name(), drainBound);
        log("app committed all " + end(Topics.USAGE_EVENTS.name()) + " input records; stopping it (SIGTERM)");
        app.stop();
        // a transaction the killed instance left open is aborted by the broker (fenced at restart, or after
        // transaction.timeout.ms); until then read_committed readers stop before it
        try {
            Poll.until("no open transaction on the output topics", Duration.ofMinutes(2), () -> openTransactions() == 0);
        } catch (AssertionError stillOpen) {
            // reported in the verdict (open transactions) and fails it
        }
        int open = openTransactions();
        List<Input.Sent> sent = input.sent();
        Outputs expected = Oracle.expected(new HashMap<>(appSettings), policies, sent, dir);
        log("oracle done: " + expected.count() + " outputs expected");
        Outputs found = readCommittedOutputs();
        lastFound = found;
        log("read " + found.count() + " outputs with read_committed");
        Verdict verdict = new Verdict(name, faults, sent, expected, found, open);
        long inputRecords = end(Topics.USAGE_EVENTS.name());
        if (inputRecords != sent.size()) {
            verdict.problems.add("the input topic holds " + inputRecords + " records, " + sent.size() + " were sent");
        }
        return verdict;
    }

    /** What the last {@link #verify} read from the output topics. */
    Outputs found() {
        return lastFound;
    }

    void log(String message) {
        System.out.printf("[proofs] %-16s %6.1f s  %s%n", name, (System.nanoTime() - startedAt) / 1e9, message);
    }

    /** Every output record, from the beginning, with isolation.level=read_committed, up to the last stable offset. */
    Outputs readCommittedOutputs() {
        Outputs found = new Outputs(serdeConfig);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : Outputs.ALL_TOPICS) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            Function<TopicPartition, Boolean> done = tp -> consumer.position(tp) >= end.get(tp);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!partitions.stream().allMatch(done::apply)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the output topics to their end within 5 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    found.add(r.topic(), r.key(), r.value(), r.headers());
                }
            }
        }
        return found;
    }

    /** Output partitions whose last stable offset lags the high watermark: a transaction left open. */
    int openTransactions() {
        int open = 0;
        for (String topic : Outputs.ALL_TOPICS) {
            Map<TopicPartition, Long> stable = offsets(topic, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> high = offsets(topic, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
            for (var e : high.entrySet()) {
                if (!e.getValue().equals(stable.get(e.getKey()))) {
                    open++;
                }
            }
        }
        return open;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + root, e);
        }
    }

    @Override
    public void close() {
        if (app != null && app.alive()) {
            app.kill();
        }
        input.close();
        admin.close(Duration.ofSeconds(10));
        broker.saveLogs(dir.resolve("broker.log"));
        broker.close();
        deleteTree(dir.resolve("state")); // the app's state directory; its logs stay for the report
    }
}
