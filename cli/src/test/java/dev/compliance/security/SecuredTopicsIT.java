package dev.compliance.security;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.EventSource;
import dev.compliance.avro.Feature;
import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.Violation;
import dev.compliance.cli.runtime.RunSettings;
import dev.compliance.cli.runtime.StreamsRunner;
import dev.compliance.it.PipelineContainers;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.classify.Classification;
import dev.compliance.producers.classify.ContentClassifier;
import dev.compliance.producers.sink.Sinks;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secure profile (ops/security) on a real broker: TLS, SASL/SCRAM-SHA-512 and the ACLs of acls.txt.
 * The pipeline runs as User:compliance-app exactly as {@code compliance run --config
 * ops/security/build/host/compliance-app.properties} does, events come in as User:producer through the
 * producers' Kafka sink, security operations and analytics read their topics. Then every principal tries
 * what it must not do and is refused; a table shows principal x action -> outcome, expected, verdict.
 * A second test looks at the bytes of every topic: no prompt text anywhere, no user id on analytics topics.
 */
class SecuredTopicsIT {

    private static final String APP = "compliance-app";
    private static final String PRODUCER = "producer";
    private static final String SECOPS = "secops";
    private static final String ANALYTICS = "analytics";
    private static final String OUTSIDE_TOPIC = "payroll.salaries";
    private static final Duration BOUND = Duration.ofMinutes(2);

    /** Planted in the events: a person's e-mail as user id and the text of their prompts. */
    private static final String PLANTED_USER = "dana.planted@example.com";
    private static final List<String> PLANTED_PROMPTS = List.of(
            "PLANTED-PROMPT-4f1c summarize the chart of patient Jane Roe, MRN 00482913, diagnosed with E11.9 at the clinic",
            "PLANTED-PROMPT-9b2e deploy with my key sk-ant-api03-QmFzZTY0SXNOb3RFbmNyeXB0aW9u and ship it");
    /** Recent event time: topics delete by record time (usage events after 7 days, OCSF findings after 30). */
    private static final Instant T = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    private static SecureProfile profile;
    private static SecureKafkaContainer broker;
    private static StreamsRunner.Service app;
    private static Map<String, Object> appConfig;
    private static final List<String[]> rows = new ArrayList<>();
    private static final Map<String, Long> timings = new LinkedHashMap<>();

    @BeforeAll
    static void startSecuredPipeline() throws Exception {
        long t0 = System.nanoTime();
        profile = SecureProfile.prepare();
        lap("make-certs.sh", t0);

        long t1 = System.nanoTime();
        broker = new SecureKafkaContainer(profile);
        broker.start();
        lap("secure broker started", t1);

        long t2 = System.nanoTime();
        List<AclBinding> policy = AclPolicy.read(profile.aclFile());
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createAcls(policy).all().get();
            PipelineContainers.await("the ACLs of acls.txt to be in force", BOUND, () -> aclCount(admin) >= policy.size());
            admin.createTopics(List.of(new NewTopic(OUTSIDE_TOPIC, 1, (short) 1))).all().get();
        }
        lap(policy.size() + " ACLs applied as admin", t2);

        long t3 = System.nanoTime();
        String registryUrl = PipelineContainers.registryUrl();
        lap("schema registry", t3);

        // compliance run --config build/host/compliance-app.properties --bootstrap-servers ... --health-port 0
        long t4 = System.nanoTime();
        Map<String, String> flags = Map.of(
                RunSettings.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                RunSettings.SCHEMA_REGISTRY_URL, registryUrl,
                RunSettings.REPLICATION_FACTOR, "1",
                RunSettings.HEALTH_PORT, "0",
                RunSettings.STATE_DIR, Files.createTempDirectory("secure-streams").toString());
        RunSettings settings = RunSettings.resolve(flags, Optional.of(profile.clientPropertiesFile(APP)), Map.of());
        appConfig = new HashMap<>(settings.asMap());
        app = StreamsRunner.startService(settings, System.out);
        assertThat(app.runner().awaitRunning(BOUND)).as("the streams app reaches RUNNING as User:compliance-app").isTrue();
        int catalogRows = CatalogPublisher.publish(PolicyCatalog.load(), broker.bootstrapServers(), appConfig);
        row(APP, "create the compliance.* topics, run the topology (exactly-once), publish " + catalogRows + " catalog rows",
                "allowed", "allowed", app.runner().state().toString());
        lap("streams app RUNNING as compliance-app", t4);

        long t5 = System.nanoTime();
        Map<String, Object> producerConfig = client(PRODUCER, Map.of("schema.registry.url", registryUrl));
        try (RecordSink<OrgPolicy> policies = Sinks.orgPolicies(producerConfig);
             RecordSink<UsageEvent> events = Sinks.usageEvents(producerConfig)) {
            policies.send(OrgPolicy.newBuilder().setOrgId("acme").setEffectiveFrom(T.minus(Duration.ofDays(30)))
                    .setAllowedPlans(List.of()).build());
            policies.flush();
            for (UsageEvent e : plantedEvents()) {
                events.send(e);
            }
            events.flush();
        }
        row(PRODUCER, "write compliance.org-policies and compliance.usage-events (the producers' Kafka sink)",
                "allowed", "allowed", "1 policy, " + plantedEvents().size() + " events");

        Map<String, Object> secopsReader = client(SECOPS, Map.of(ConsumerConfig.GROUP_ID_CONFIG, "secops-audit"));
        List<ConsumerRecord<String, Violation>> violations = readUntil(secopsReader, Topics.VIOLATIONS.name(),
                Topics.VIOLATIONS.valueSerde(appConfig).deserializer(),
                read -> eventIds(read, r -> r.value().getEventId()).containsAll(Set.of("sec-1", "sec-2")));
        row(SECOPS, "read compliance.violations (group secops-audit)", "allowed", "allowed", violations.size() + " violations");
        List<ConsumerRecord<String, String>> findings = readUntil(secopsReader, Topics.FINDINGS_OCSF.name(),
                Serdes.String().deserializer(), read -> read.size() >= violations.size());
        row(SECOPS, "read compliance.findings.ocsf (group secops-audit)", "allowed", "allowed", findings.size() + " OCSF findings");

        Map<String, Object> analyticsReader = client(ANALYTICS, Map.of(ConsumerConfig.GROUP_ID_CONFIG, "analytics-reports"));
        List<ConsumerRecord<String, RetentionEvent>> retention = readUntil(analyticsReader, Topics.RETENTION.name(),
                Topics.RETENTION.valueSerde(appConfig).deserializer(),
                read -> eventIds(read, r -> r.value().getEventId()).containsAll(Set.of("sec-1", "sec-2", "sec-3")));
        row(ANALYTICS, "read compliance.retention (group analytics-reports)", "allowed", "allowed", retention.size() + " ledger entries");
        var rollups = readUntil(analyticsReader, Topics.ROLLUPS_DAILY.name(), Topics.ROLLUPS_DAILY.valueSerde(appConfig).deserializer(),
                read -> !read.isEmpty());
        row(ANALYTICS, "read compliance.rollups.daily (group analytics-reports)", "allowed", "allowed", rollups.size() + " rollups");
        lap("events in as producer, outputs read as secops and analytics", t5);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.stop();
        }
        System.out.println("\nSecuredTopicsIT timings:");
        timings.forEach((what, ms) -> System.out.printf("  %-60s %6.1f s%n", what, ms / 1000.0));
    }

    @Test
    void everyPrincipalIsRefusedWhereItDoesNotBelong() {
        long t0 = System.nanoTime();
        AccessProbe producer = probe(PRODUCER);
        row(PRODUCER, "transactional.id compliance-producer-compliance-api-acme (the pollers' prefix)", "allowed",
                producer.initTransactions("compliance-producer-compliance-api-acme"));
        row(PRODUCER, "read " + Topics.PRODUCER_OFFSETS.name() + " (the pollers' feed positions)", "allowed",
                producer.read(Topics.PRODUCER_OFFSETS.name()));
        refused(PRODUCER, "transactional.id claude-compliance-0 (the app's)", producer.initTransactions("claude-compliance-0"));
        refused(PRODUCER, "read compliance.usage-events", producer.read(Topics.USAGE_EVENTS.name()));
        refused(PRODUCER, "read compliance.violations", producer.read(Topics.VIOLATIONS.name()));
        refused(PRODUCER, "write compliance.violations (forge a violation)", producer.write(Topics.VIOLATIONS.name()));
        refused(PRODUCER, "write compliance.catalog (change the policy catalog)", producer.write(Topics.CATALOG.name()));
        refused(PRODUCER, "create topic compliance.shadow-events", producer.createTopic("compliance.shadow-events"));

        AccessProbe secops = probe(SECOPS);
        refused(SECOPS, "read compliance.usage-events", secops.read(Topics.USAGE_EVENTS.name()));
        refused(SECOPS, "read compliance.retention", secops.read(Topics.RETENTION.name()));
        refused(SECOPS, "read compliance.rollups.daily", secops.read(Topics.ROLLUPS_DAILY.name()));
        refused(SECOPS, "write compliance.violations (tamper with findings)", secops.write(Topics.VIOLATIONS.name()));
        refused(SECOPS, "join group claude-compliance (the app's group)", secops.joinGroup("claude-compliance", Topics.VIOLATIONS.name()));
        refused(SECOPS, "join group analytics-reports", secops.joinGroup("analytics-reports", Topics.VIOLATIONS.name()));
        refused(SECOPS, "grant itself READ on compliance.usage-events", secops.createAcl(new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, Topics.USAGE_EVENTS.name(), PatternType.LITERAL),
                new AccessControlEntry("User:secops", "*", AclOperation.READ, AclPermissionType.ALLOW))));

        AccessProbe analytics = probe(ANALYTICS);
        refused(ANALYTICS, "read compliance.violations", analytics.read(Topics.VIOLATIONS.name()));
        refused(ANALYTICS, "read compliance.findings.ocsf", analytics.read(Topics.FINDINGS_OCSF.name()));
        refused(ANALYTICS, "read compliance.usage-events", analytics.read(Topics.USAGE_EVENTS.name()));
        refused(ANALYTICS, "write compliance.rollups.daily", analytics.write(Topics.ROLLUPS_DAILY.name()));
        refused(ANALYTICS, "join group secops-audit", analytics.joinGroup("secops-audit", Topics.RETENTION.name()));

        AccessProbe appProbe = probe(APP);
        row(APP, "transactional.id claude-compliance-probe-0 (its prefix)", "allowed",
                appProbe.initTransactions("claude-compliance-probe-0"));
        refused(APP, "read " + OUTSIDE_TOPIC + " (outside its topics)", appProbe.read(OUTSIDE_TOPIC));
        refused(APP, "write " + OUTSIDE_TOPIC, appProbe.write(OUTSIDE_TOPIC));
        refused(APP, "create topic payroll.extra", appProbe.createTopic("payroll.extra"));
        refused(APP, "write compliance.usage-events (forge input)", appProbe.write(Topics.USAGE_EVENTS.name()));
        refused(APP, "read compliance.violations (it writes, never reads, its outputs)", appProbe.read(Topics.VIOLATIONS.name()));
        refused(APP, "transactional.id other-app-0", appProbe.initTransactions("other-app-0"));
        refused(APP, "join group secops-audit", appProbe.joinGroup("secops-audit", Topics.USAGE_EVENTS.name()));

        Map<String, Object> wrongPassword = client(SECOPS);
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"secops\" password=\"not-the-password\";");
        refused("secops, wrong password", "read compliance.violations", new AccessProbe(wrongPassword).read(Topics.VIOLATIONS.name()));
        lap("access probes", t0);

        printTable();
        assertThat(rows).as("principal x action: the outcome must be the expected one")
                .allSatisfy(r -> assertThat(r[3]).as(r[0] + " / " + r[1]).isEqualTo(r[2]));
    }

    @Test
    void noPromptTextOnAnyTopicAndNoUserIdOnAnalyticsTopics() throws Exception {
        long t0 = System.nanoTime();
        Map<String, byte[]> topicBytes = new LinkedHashMap<>();
        try (Admin admin = Admin.create(client("admin"))) {
            for (String topic : new TreeSet<>(admin.listTopics().names().get())) {
                topicBytes.put(topic, allBytes(topic));
            }
        }
        List<String> promptMarkers = new ArrayList<>(PLANTED_PROMPTS);
        promptMarkers.addAll(List.of("PLANTED-PROMPT", "Jane Roe", "00482913", "sk-ant-api03-QmFzZTY0"));
        Set<String> analyticsTopics = Set.of(Topics.ROLLUPS_DAILY.name(), Topics.RETENTION.name());

        System.out.println("\nPlanted prompt text and user id " + PLANTED_USER
                + ", searched in the raw bytes (keys, values, headers) of every topic:");
        String format = "  %-52s %8s  %-11s %-9s  %-11s %-9s%n";
        System.out.printf(format, "topic", "bytes", "prompt text", "expected", "user id", "expected");
        topicBytes.forEach((topic, bytes) -> System.out.printf(format, topic, bytes.length,
                promptMarkers.stream().anyMatch(m -> contains(bytes, m)) ? "FOUND" : "absent", "absent",
                contains(bytes, PLANTED_USER) ? "present" : "absent",
                analyticsTopics.contains(topic) ? "absent" : topic.equals(Topics.VIOLATIONS.name()) ? "present" : "-"));
        lap("privacy scan of " + topicBytes.size() + " topics", t0);

        assertThat(topicBytes.keySet()).contains(Topics.USAGE_EVENTS.name(), Topics.VIOLATIONS.name(),
                Topics.RETENTION.name(), Topics.ROLLUPS_DAILY.name());
        topicBytes.forEach((topic, bytes) -> promptMarkers.forEach(marker ->
                assertThat(contains(bytes, marker)).as("prompt text '" + marker + "' on " + topic).isFalse()));
        // the search works: the user id is where it belongs (security operations must reach the person)
        assertThat(contains(topicBytes.get(Topics.VIOLATIONS.name()), PLANTED_USER)).as("user id on violations").isTrue();
        analyticsTopics.forEach(topic ->
                assertThat(contains(topicBytes.get(topic), PLANTED_USER)).as("user id on " + topic).isFalse());

        // analytics sees a keyed hash of the user id: HMAC-SHA256 with the deployment's secret
        String secret = (String) appConfig.get("compliance.pseudonym.secret");
        Map<String, Object> reader = client(ANALYTICS, Map.of(ConsumerConfig.GROUP_ID_CONFIG, "analytics-pseudonyms"));
        var retention = readUntil(reader, Topics.RETENTION.name(), Topics.RETENTION.valueSerde(appConfig).deserializer(),
                read -> eventIds(read, r -> r.value().getEventId()).contains("sec-1"));
        assertThat(retention).filteredOn(r -> "sec-1".equals(r.value().getEventId()))
                .extracting(r -> r.value().getUserPseudonym())
                .containsOnly(hmacPseudonym(secret, PLANTED_USER))
                .doesNotContain(PLANTED_USER);
    }

    // ---------------------------------------------------------------------------------------------

    /** Three events of one user, classified from prompt text by the producers' classifier (the text stays here). */
    private static List<UsageEvent> plantedEvents() {
        ContentClassifier classifier = new ContentClassifier();
        Classification phi = classifier.classify(PLANTED_PROMPTS.get(0));
        Classification credentials = classifier.classify(PLANTED_PROMPTS.get(1));
        return List.of(
                event("sec-1", Plan.FREE, Feature.CHAT, credentials.raise(DataClass.INTERNAL), credentials),
                event("sec-2", Plan.TEAM, Feature.CHAT, phi.raise(DataClass.PUBLIC), phi),
                event("sec-3", Plan.ENTERPRISE, Feature.CHAT, DataClass.PUBLIC, Classification.NOTHING));
    }

    private static UsageEvent event(String id, Plan plan, Feature feature, DataClass dataClass, Classification c) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(T).setOrgId("acme").setUserId(PLANTED_USER)
                .setPlan(plan).setFeature(feature).setDataClass(dataClass).setDataTags(c.sortedTags())
                .setSource(EventSource.MANUAL).build();
    }

    private static String hmacPseudonym(String secret, String userId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
        return "u_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    private static Map<String, Object> client(String principal) {
        return client(principal, Map.of());
    }

    private static Map<String, Object> client(String principal, Map<String, ?> extra) {
        return profile.clientConfig(principal, broker.bootstrapServers(), extra);
    }

    private static AccessProbe probe(String principal) {
        return new AccessProbe(client(principal));
    }

    private static int aclCount(Admin admin) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get().size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Reads a topic as a principal in a consumer group until {@code done} holds for what was read. */
    private static <V> List<ConsumerRecord<String, V>> readUntil(Map<String, Object> principalConfig, String topic,
                                                                 Deserializer<V> values,
                                                                 Predicate<List<ConsumerRecord<String, V>>> done) {
        Map<String, Object> props = new HashMap<>(principalConfig);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, Serdes.String().deserializer(), values)) {
            consumer.subscribe(List.of(topic));
            try {
                PipelineContainers.await(topic + " to hold the expected records", BOUND, () -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                    return done.test(read);
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (read " + read.size() + ": "
                        + read.stream().map(r -> String.valueOf(r.value())).collect(Collectors.joining("; ")) + ")", e);
            }
            consumer.commitSync();
        }
        return read;
    }

    private static <V> Set<String> eventIds(List<ConsumerRecord<String, V>> records,
                                            java.util.function.Function<ConsumerRecord<String, V>, String> id) {
        return records.stream().map(id).collect(Collectors.toSet());
    }

    /** Every byte of a topic as admin, including aborted transactions (read_uncommitted): keys, values, headers. */
    private static byte[] allBytes(String topic) {
        Map<String, Object> props = client("admin");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            PipelineContainers.await("the end of " + topic, BOUND, () -> {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    out.writeBytes(r.key() == null ? new byte[0] : r.key());
                    out.writeBytes(r.value() == null ? new byte[0] : r.value());
                    for (Header h : r.headers()) {
                        out.writeBytes(h.key().getBytes(StandardCharsets.UTF_8));
                        out.writeBytes(h.value() == null ? new byte[0] : h.value());
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    private static void refused(String principal, String action, AccessProbe.Outcome outcome) {
        row(principal, action, "refused", outcome);
    }

    private static void row(String principal, String action, String expected, AccessProbe.Outcome outcome) {
        row(principal, action, expected, outcome.allowed() ? "allowed" : "refused", outcome.detail());
    }

    private static synchronized void row(String principal, String action, String expected, String actual, String detail) {
        rows.add(new String[]{principal, action, expected, actual, detail});
    }

    private static void printTable() {
        String format = "  %-22s %-82s %-8s %-8s %-7s %s%n";
        System.out.println("\nSecure profile: principal x action (TLS + SASL/SCRAM-SHA-512 + ACLs of ops/security/acls.txt)");
        System.out.printf(format, "principal", "action", "expected", "outcome", "verdict", "detail");
        rows.forEach(r -> System.out.printf(format, r[0], r[1], r[2], r[3], r[2].equals(r[3]) ? "OK" : "WRONG", r[4]));
    }

    private static void lap(String what, long startNanos) {
        timings.put(what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
