package dev.compliance.it;

import com.github.dockerjava.api.DockerClient;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageEvent;
import dev.compliance.cli.runtime.RunSettings;
import dev.compliance.cli.runtime.StreamsRunner;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.PrivateStateDir;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stuck app is not a healthy app (issue 9): the pipeline started by the code {@code compliance run} uses
 * ({@link StreamsRunner#startService} with {@link RunSettings}, {@code --health-stall-ms 3000}) against a real
 * broker, and its {@code /health} watched while it cannot work:
 * <ul>
 *   <li>the broker frozen ({@code docker pause}) while the input lags: 503 with a reason, then 200 again once the
 *       broker is back and every record is committed;</li>
 *   <li>the stall of issue 9 made on purpose: a transaction that is still open holds offsets of the app's
 *       consumer group (TxnOffsetCommit without EndTxn), so the app's offset fetch (require_stable, since
 *       exactly_once_v2 reads read_committed) answers UNSTABLE_OFFSET_COMMIT and the app stays REBALANCING in
 *       {@code fetchCommittedOffsets}: 503 naming REBALANCING; the transaction aborted, it runs and answers 200.</li>
 * </ul>
 * Every wait is a poll with a generous bound; no assertion is on elapsed time.
 */
class StuckAppHealthIT {

    private static final long STALL_MS = 3_000;
    private static final Duration BOUND = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaContainer broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = PipelineContainers.newBroker();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void brokerFrozenWhileTheInputLagsTurnsHealth503AndBackTo200() throws Exception {
        String appId = "it-stuck-" + UUID.randomUUID();
        // the app fetches one record batch per request and the input is written one record per batch, so it
        // works through the input for a while: the broker is frozen while it still lags
        Map<String, String> slow = Map.of(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), "1",
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), "1");
        try (PrivateStateDir state = PrivateStateDir.create("it-stuck-");
             StreamsRunner.Service app = start(appId, state, slow)) {
            awaitHealth(app, 200);
            int events = 6_000;
            write(0, events);
            PipelineContainers.await("the app to see its input lag", BOUND, () -> lag(app) > 0);
            DockerClient docker = DockerClientFactory.instance().client();
            docker.pauseContainerCmd(broker.getContainerId()).exec();
            String unhealthy;
            try {
                assertThat(lag(app)).as("the app had not finished when the broker froze").isPositive();
                unhealthy = awaitHealth(app, 503);
            } finally {
                docker.unpauseContainerCmd(broker.getContainerId()).exec();
            }
            assertThat(unhealthy).contains("\"healthy\":false").contains("\"reason\":\"");
            PipelineContainers.await("the app to commit all " + events + " records after the broker came back", BOUND,
                    () -> uncommitted(appId) == 0);
            assertThat(awaitHealth(app, 200)).contains("\"healthy\":true");
        }
    }

    @Test
    void anOpenTransactionOnTheGroupsOffsetsKeepsTheAppRebalancingAndHealth503() throws Exception {
        String appId = "it-pending-" + UUID.randomUUID();
        try (PrivateStateDir state = PrivateStateDir.create("it-pending-")) {
            try (StreamsRunner.Service first = start(appId, state, Map.of())) {
                awaitHealth(first, 200);
                write(100_000, 20);
                PipelineContainers.await("the first run to commit its input", BOUND, () -> uncommitted(appId) == 0);
            }
            // what a crashed transactional producer leaves: offsets of the group sent in a transaction never ended
            Map<TopicPartition, OffsetAndMetadata> held = offsets(appId);
            try (KafkaProducer<byte[], byte[]> stale = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-stale-" + appId,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000), new ByteArraySerializer(), new ByteArraySerializer())) {
                stale.initTransactions();
                stale.beginTransaction();
                stale.sendOffsetsToTransaction(held, new ConsumerGroupMetadata(appId));
                stale.flush();
                try (StreamsRunner.Service second = start(appId, state, Map.of())) {
                    String unhealthy = awaitHealth(second, 503);
                    assertThat(unhealthy).contains("\"state\":\"REBALANCING\"").contains("REBALANCING for");
                    assertThat(second.runner().state()).isEqualTo(KafkaStreams.State.REBALANCING);
                    stale.abortTransaction();
                    write(200_000, 20);
                    PipelineContainers.await("the second run to commit the new input", BOUND, () -> uncommitted(appId) == 0);
                    assertThat(awaitHealth(second, 200)).contains("\"state\":\"RUNNING\"");
                }
            }
        }
    }

    /** The app as {@code compliance run} starts it, with the stall bound of {@value #STALL_MS} ms. */
    private static StreamsRunner.Service start(String appId, PrivateStateDir state, Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>(Map.of(
                RunSettings.BOOTSTRAP_SERVERS, broker.getBootstrapServers(),
                RunSettings.SCHEMA_REGISTRY_URL, PipelineContainers.registryUrl(),
                RunSettings.APPLICATION_ID, appId,
                RunSettings.STATE_DIR, state.toString(),
                RunSettings.REPLICATION_FACTOR, "1",
                RunSettings.HEALTH_PORT, "0",
                RunSettings.HEALTH_STALL_MS, Long.toString(STALL_MS),
                RunSettings.PSEUDONYM_SECRET, "integration-test-secret",
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"));
        flags.putAll(extra);
        RunSettings settings = RunSettings.resolve(flags, Optional.empty(), Map.of());
        return StreamsRunner.startService(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** Writes usage events {@code first..first+count-1}, one record per batch, and waits for every acknowledgement. */
    private static void write(int first, int count) {
        Map<String, Object> config = Map.of(ComplianceConfig.PSEUDONYM_SECRET, "integration-test-secret",
                "schema.registry.url", PipelineContainers.registryUrl());
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.BATCH_SIZE_CONFIG, 0), new StringSerializer(), Topics.USAGE_EVENTS.valueSerde(config).serializer())) {
            for (int i = first; i < first + count; i++) {
                String org = "org-" + (i % 7);
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), org, UsageEvent.newBuilder()
                        .setEventId("stuck-" + i).setEventTime(Instant.parse("2026-05-01T12:00:00Z")).setOrgId(org)
                        .setUserId("u-" + i).setPlan(Plan.API).setFeature(Feature.MESSAGES_API).setDataClass(DataClass.PUBLIC)
                        .setDataTags(List.of(DataTag.CREDENTIALS)).setSource(EventSource.MANUAL).build()));
            }
            producer.flush();
        }
    }

    /** The app's committed offsets on the input topic. */
    private static Map<TopicPartition, OffsetAndMetadata> offsets(String appId) {
        try {
            return admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.USAGE_EVENTS.name()) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        } catch (Exception brokerNotAnswering) {
            return Map.of();
        }
    }

    /** Records of the input topic the app has not committed yet (every test's records: the broker is shared). */
    private static long uncommitted(String appId) {
        try {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, Topics.USAGE_EVENTS.partitions()).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(Topics.USAGE_EVENTS.name(), p), p -> OffsetSpec.latest()));
            long end = admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
            return end - offsets(appId).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception brokerNotAnswering) {
            return Long.MAX_VALUE;
        }
    }

    /** The input lag the app itself reports on /metrics (its main consumer's records-lag). */
    private static long lag(StreamsRunner.Service app) {
        String metrics = get(app, "/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("compliance_app_input_lag "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    /** Polls /health until it answers {@code status}; returns the body. */
    private static String awaitHealth(StreamsRunner.Service app, int status) {
        String[] body = {""};
        PipelineContainers.await("/health to answer " + status, BOUND, () -> {
            HttpResponse<String> r = get(app, "/health");
            body[0] = r.body();
            return r.statusCode() == status;
        });
        return body[0];
    }

    private static HttpResponse<String> get(StreamsRunner.Service app, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.health().port() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("no answer from " + path + ": " + e, e);
        }
    }
}
