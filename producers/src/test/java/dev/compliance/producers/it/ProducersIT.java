package dev.compliance.producers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.Progress;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.Resources;
import dev.compliance.producers.StopSignal;
import dev.compliance.producers.complianceapi.ComplianceApiOptions;
import dev.compliance.producers.complianceapi.ComplianceApiSource;
import dev.compliance.producers.complianceapi.FakeActivityFeed;
import dev.compliance.producers.feed.FeedPosition;
import dev.compliance.producers.feed.FeedStore;
import dev.compliance.producers.feed.KafkaFeedStore;
import dev.compliance.producers.generator.GeneratorConfig;
import dev.compliance.producers.generator.GeneratorOptions;
import dev.compliance.producers.generator.GeneratorSource;
import dev.compliance.producers.generator.UsageEventGenerator;
import dev.compliance.producers.http.ApiClient;
import dev.compliance.producers.http.FakeAnthropicApi;
import dev.compliance.producers.http.FakeAnthropicApi.Reply;
import dev.compliance.producers.otlp.OtlpOptions;
import dev.compliance.producers.otlp.OtlpReceiver;
import dev.compliance.producers.sink.DeadLetter;
import dev.compliance.producers.sink.Sinks;
import dev.compliance.producers.usagereport.UsageReportOptions;
import dev.compliance.producers.usagereport.UsageReportSource;
import dev.compliance.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every source against a real broker (Testcontainers) and a real schema registry (the Apicurio distribution): what
 * the sources produce is read back through the registry, feed positions survive restarts and aborted transactions,
 * and no planted text appears in any byte of any topic.
 *
 * <p>The broker here enforces retention every second instead of every 5 minutes (30 s after start the first time),
 * so a record deleted for its age goes at once, not at a random moment in the middle of this class. The recorded
 * fixtures are from March and April 2026: on a topic counting retention from the records' own timestamps (CreateTime, the
 * events' eventTime) they are past compliance.usage-events' 7 days, which is what made this class lose committed
 * events on a busy machine before the topic was declared with LogAppendTime.
 */
class ProducersIT {

    /** The time of the recorded fixtures. */
    private static final Instant RECORDED = Instant.parse("2026-03-02T09:00:00Z");
    /** The last activity of the documented feed's middle page (see complianceapi/README.md). */
    private static final String ACTIVITY_13 = "activity_01Jm13Q8fR3sT5uV7wX9yZ2b";

    private static BrokerAndRegistry broker;
    private static Map<String, Object> clientConfig;
    private static Deserializer<UsageEvent> deserializer;

    @BeforeAll
    static void start() throws Exception {
        broker = BrokerAndRegistry.start();
        clientConfig = broker.clientConfig();
        deserializer = Topics.USAGE_EVENTS.valueSerde(clientConfig).deserializer();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void generatedEventsAndPoliciesArriveThroughTheRegistry() {
        GeneratorConfig config = GeneratorConfig.defaults(2026).withOrgs(5, 10);
        try (RecordSink<UsageEvent> events = Sinks.usageEvents(clientConfig);
             RecordSink<OrgPolicy> policies = Sinks.orgPolicies(clientConfig)) {
            long sent = new GeneratorSource(new GeneratorOptions(config, 300, 0, true), events, policies,
                    Progress.silent(), new StopSignal(), System::nanoTime).call();
            assertThat(sent).isEqualTo(300);
        }
        Set<String> generatedOrgs = new UsageEventGenerator(config).orgs().stream()
                .map(o -> o.orgId()).collect(Collectors.toSet());
        List<ConsumerRecord<byte[], byte[]>> records = readAll(Topics.USAGE_EVENTS.name());
        List<UsageEvent> read = records.stream()
                .map(r -> deserializer().deserialize(Topics.USAGE_EVENTS.name(), r.value()))
                .filter(e -> generatedOrgs.contains(e.getOrgId()))
                .toList();
        UsageEventGenerator expected = new UsageEventGenerator(config);
        List<UsageEvent> generated = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            generated.add(expected.next());
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(generated);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            UsageEvent event = deserializer().deserialize(record.topic(), record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.getOrgId());
            // the producer sends eventTime; the topic is declared LogAppendTime, so retention counts from the write
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.value()[0]).isZero(); // Confluent wire format: magic byte, then the schema id
        }
        assertThat(readAll(Topics.ORG_POLICIES.name())).hasSize(new UsageEventGenerator(config).orgPolicies().size());
    }

    @Test
    void claudeCodeTelemetryArrivesWithoutItsText() throws Exception {
        String[] planted = {"AKIAQX7PLANTEDSECRT9", "PLANTEDSECRT", "patient.records@acme-health.example",
                "PLANTEDghToken", "John Planted", "00739184", "078-05-1120", "deploy with", "Summarize the chart"};
        try (RecordSink<UsageEvent> sink = Sinks.usageEvents(clientConfig);
             RecordSink<DeadLetter> deadLetters = Sinks.deadLetters(clientConfig);
             OtlpReceiver receiver = new OtlpReceiver(OtlpOptions.defaults().withAddress("127.0.0.1", 0).withGrpcPort(0),
                     sink, deadLetters)) {
            int port = receiver.start();
            HttpClient http = HttpClient.newHttpClient();
            for (String[] payload : new String[][] {{"otlp/claude-code-logs.json", "application/json"},
                    {"otlp/claude-code-logs.pb", "application/x-protobuf"}}) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/logs"))
                        .header("Content-Type", payload[1])
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Resources.bytes(payload[0]))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(receiver.eventsSent()).isEqualTo(4);
        }
        List<UsageEvent> otel = readAll(Topics.USAGE_EVENTS.name()).stream()
                .map(r -> deserializer().deserialize(r.topic(), r.value()))
                .filter(e -> e.getEventId().startsWith("otel-"))
                .toList();
        assertThat(otel).hasSize(4);
        assertEveryTopicIsFreeOf(planted);
    }

    @Test
    void theComplianceFeedResumesAfterAStopWithoutSkippingOrRepeating() {
        String org = "org_" + UUID.randomUUID();
        try (FakeAnthropicApi api = new FakeAnthropicApi()) {
            api.on("/v1/compliance/activities", request -> ACTIVITY_13.equals(request.param("before_id"))
                    ? Reply.status(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"key revoked\"}}")
                    : feed(request, org));
            ComplianceApiOptions options = feedOptions(api, org);
            try (FeedStore store = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org)) {
                assertThatThrownBy(() -> source(options, store).call())
                        .hasMessageContaining("key revoked");
            }
            assertThat(eventIdsOf(org)).hasSize(9); // the two oldest pages committed, the newest refused
            api.on("/v1/compliance/activities", request -> feed(request, org));
            try (FeedStore store = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org)) {
                assertThat(store.lastCursor(ComplianceApiSource.SOURCE, org)).hasValue(ACTIVITY_13);
                ComplianceApiSource.Summary resumed = source(options, store).call();
                assertThat(resumed.events()).isEqualTo(5);
            }
        }
        List<String> ids = eventIdsOf(org);
        assertThat(ids).hasSize(14).doesNotHaveDuplicates();
    }

    @Test
    void anAbortedTransactionHidesItsEventsAndItsPosition() throws Exception {
        String org = "org_" + UUID.randomUUID();
        try (FakeAnthropicApi api = new FakeAnthropicApi()) {
            api.on("/v1/compliance/activities", request -> feed(request, org));
            ComplianceApiOptions options = feedOptions(api, org);
            // A poller that crashed after sending a page and its position, before committing:
            Map<String, Object> crashed = Sinks.producerConfig(clientConfig);
            crashed.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compliance-producer-compliance-api-" + org);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(crashed, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(FeedStore.TOPIC, FeedPosition.key(ComplianceApiSource.SOURCE, org),
                        new FeedPosition(ComplianceApiSource.SOURCE, org, ACTIVITY_13, Instant.now()).toJson()));
                producer.flush();
                // ...and died here: no commit. The next poller's initTransactions aborts it.
                try (FeedStore store = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org)) {
                    assertThat(store.lastCursor(ComplianceApiSource.SOURCE, org)).isEmpty();
                    assertThat(source(options, store).call().events()).isEqualTo(14);
                }
            }
        }
        assertThat(eventIdsOf(org)).hasSize(14).doesNotHaveDuplicates();
    }

    @Test
    void aSecondPollerOfTheSameFeedFencesTheFirst() {
        String org = "org_" + UUID.randomUUID();
        FeedPosition position = new FeedPosition(ComplianceApiSource.SOURCE, org, "act_1", Instant.now());
        try (FeedStore first = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org);
             FeedStore second = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org)) {
            assertThatThrownBy(() -> first.commit(List.of(), position))
                    .hasMessage("another poller of compliance-api/" + org
                            + " took over (transactional id fenced); this one stops");
            second.commit(List.of(), position);
            assertThat(second.lastCursor(ComplianceApiSource.SOURCE, org)).hasValue("act_1");
        }
    }

    /** What made this class fail at random: old events deleted by the broker's retention check, some time later. */
    @Test
    void lastYearsEventsSurviveTheBrokersRetentionChecks() throws Exception {
        String org = "org_" + UUID.randomUUID();
        try (FakeAnthropicApi api = new FakeAnthropicApi()) {
            api.on("/v1/compliance/activities", request -> aYearEarlier(feed(request, org)));
            ComplianceApiOptions options = feedOptions(api, org);
            try (FeedStore store = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org)) {
                assertThat(store.oldestKept(Instant.now())).isEmpty(); // LogAppendTime: kept 7 days from the write
                assertThat(source(options, store).call().events()).isEqualTo(14);
            }
        }
        awaitRetentionChecks(3);
        assertThat(eventIdsOf(org)).hasSize(14);
    }

    /** A topic created before LogAppendTime was declared keeps its configs: there such a page must not be committed. */
    @Test
    void onACreateTimeTopicAPageOlderThanTheRetentionIsRefusedNotLost() throws Exception {
        String org = "org_" + UUID.randomUUID();
        try (FakeAnthropicApi api = new FakeAnthropicApi();
             Admin admin = broker.admin()) {
            api.on("/v1/compliance/activities", request -> aYearEarlier(feed(request, org)));
            ComplianceApiOptions options = feedOptions(api, org);
            setUsageEventsTimestampType(admin, "CreateTime");
            FeedStore store;
            try {
                store = new KafkaFeedStore(clientConfig, ComplianceApiSource.SOURCE, org); // reads the configs now
            } finally {
                setUsageEventsTimestampType(admin, "LogAppendTime");
            }
            try (store) {
                assertThat(store.oldestKept(Instant.now())).isPresent();
                assertThatThrownBy(() -> source(options, store).call())
                        .hasMessageContaining("event capi-activity_")
                        .hasMessageContaining("is older than compliance.usage-events keeps events (retention.ms 7 days"
                                + " on CreateTime timestamps, from the broker")
                        .hasMessageContaining("this page was not committed");
                assertThat(store.lastCursor(ComplianceApiSource.SOURCE, org)).isEmpty();
            }
            assertThat(api.requests()).hasSize(3); // the walk back to the oldest page, whose commit is refused
        }
        assertThat(eventIdsOf(org)).isEmpty();
    }

    @Test
    void theUsageReportSendsEachBucketOnce() {
        String org = "org_" + UUID.randomUUID();
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T13:20:00Z"), ZoneOffset.UTC);
        try (FakeAnthropicApi api = new FakeAnthropicApi()) {
            api.on("/v1/organizations/usage_report/messages", request -> {
                if (request.param("page") != null || "2026-03-02T11:00:00Z".equals(request.param("starting_at"))) {
                    return Reply.ok(Resources.text("usagereport/messages-page-2.json"));
                }
                return "2026-03-02T09:00:00Z".equals(request.param("starting_at"))
                        ? Reply.ok(Resources.text("usagereport/messages-page-1.json"))
                        : Reply.ok("{\"data\":[],\"has_more\":false,\"next_page\":null}");
            });
            UsageReportOptions options = UsageReportOptions.of(api.baseUrl(), "key", org)
                    .withRange(Instant.parse("2026-03-02T09:00:00Z"), "1h", Duration.ofHours(1));
            for (int run = 0; run < 2; run++) {
                try (FeedStore store = new KafkaFeedStore(clientConfig, UsageReportSource.SOURCE, org)) {
                    new UsageReportSource(options, store, Progress.silent(), new StopSignal(), clock).call();
                }
            }
            // the second run re-read the window from its stored position and found every total unchanged
            assertThat(api.requests()).hasSize(4);
        }
        assertThat(eventIdsOf(org)).hasSize(6).doesNotHaveDuplicates();
    }

    /** The served page with its activities a year older. */
    private static Reply aYearEarlier(Reply page) {
        return new Reply(page.status(), page.body().replace("2026-04-10", "2025-04-10"), page.headers());
    }

    private static void setUsageEventsTimestampType(Admin admin, String type) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.USAGE_EVENTS.name());
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, type), AlterConfigOp.OpType.SET)))).all().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!type.equals(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value())) {
            assertThat(System.nanoTime()).as("the broker showing %s within 30 s", type).isLessThan(deadline);
        }
    }

    /**
     * Waits until the broker has run {@code count} retention checks, seen by a record older than its topic's retention
     * (CreateTime) going away, one after the other. Each deletion is seen after the previous one, so it belongs to a
     * later check; with 3, the second check started after this call and ran to its end, over every topic.
     */
    private static void awaitRetentionChecks(int count) throws Exception {
        String topic = "retention-probe-" + UUID.randomUUID();
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()),
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime")))).all().get();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Sinks.producerConfig(clientConfig),
                new StringSerializer(), new StringSerializer());
             KafkaConsumer<byte[], byte[]> consumer = consumer("read_uncommitted")) {
            consumer.assign(List.of(partition));
            for (int check = 0; check < count; check++) {
                long offset = producer.send(new ProducerRecord<>(topic, null, RECORDED.toEpochMilli(), "k", "old")).get().offset();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (consumer.beginningOffsets(List.of(partition)).get(partition) <= offset) {
                    assertThat(System.nanoTime()).as("the broker deleting an old record within 60 s").isLessThan(deadline);
                    consumer.poll(Duration.ofMillis(200));
                }
            }
        }
    }

    private static ComplianceApiSource source(ComplianceApiOptions options, FeedStore store) {
        return new ComplianceApiSource(options.withRetry(new ApiClient.RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10))),
                store, Progress.silent(), new StopSignal(), Clock.systemUTC());
    }

    /** The documented feed (seven activities a page: three pages), with the test's own org in place of its org. */
    private static Reply feed(FakeAnthropicApi.Request request, String org) {
        return FakeActivityFeed.of(Resources.text("complianceapi/documented-activities.json")
                .replace("org_01Wv6QeBcDfGhJkLmNpQrSt8", org)).serve(request);
    }

    private static ComplianceApiOptions feedOptions(FakeAnthropicApi api, String org) {
        return ComplianceApiOptions.of(api.baseUrl(), "key", org).withPaging(null, 7);
    }

    /** Event ids of the events of one org, as a read_committed consumer sees them. */
    private static List<String> eventIdsOf(String org) {
        return readAll(Topics.USAGE_EVENTS.name()).stream()
                .map(r -> deserializer().deserialize(r.topic(), r.value()))
                .filter(e -> e.getOrgId().equals(org))
                .map(UsageEvent::getEventId)
                .toList();
    }

    private static Deserializer<UsageEvent> deserializer() {
        return deserializer;
    }

    private static void assertEveryTopicIsFreeOf(String... planted) throws Exception {
        broker.assertEveryTopicIsFreeOf(planted);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return broker.readAll(topic);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return broker.consumer(isolation);
    }
}
