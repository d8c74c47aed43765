package dev.compliance.proofs;

import dev.compliance.avro.UsageEvent;
import dev.compliance.it.PipelineContainers;
import dev.compliance.serde.SchemaRegistryClient;
import dev.compliance.serde.SerdeConfig;
import dev.compliance.topics.Topics;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proofs against a real broker (Docker) and a real schema registry (Apicurio), modelled on Kafka Streams'
 * own EOS and smoke system tests: a driver writes seeded, keyed usage events; the app under test runs as its
 * own process ({@link AppUnderTest}); faults are injected while it works; then a verifier reads every output
 * topic with isolation.level=read_committed and compares it, record by record, with an oracle — the same
 * topology in a TopologyTestDriver fed the same input without faults.
 *
 * <p>Size: {@code -Dproofs.size=short} (default, part of the project's test command) or {@code full}
 * ({@code ops/proofs/run-full.sh}). Seed: {@code -Dproofs.seed=N} replays a run; the seed is printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProofsIT {

    /** How much each proof does. */
    record Size(String name, int killEvents, int kills, int faultPerTick, int brokerEvents, int brokerRestarts, int brokerRuns,
                int pillGoodEvents, int pillsPerKind, int outageEvents, int outages, int failuresPerOutage, int perTick) {

        static Size fromSystemProperty() {
            String name = System.getProperty("proofs.size", "short");
            return switch (name) {
                // records per 100 ms tick; the fault proofs write slowly enough to be still writing across their restarts
                case "short" -> new Size(name, 1_200, 3, 5, 800, 2, 1, 300, 2, 200, 1, 1, 20);
                case "full" -> new Size(name, 20_000, 10, 20, 15_000, 3, 3, 5_000, 20, 2_000, 3, 2, 40);
                default -> throw new IllegalArgumentException("proofs.size must be short or full, got '" + name + "'");
            };
        }
    }

    static final Duration TICK = Duration.ofMillis(100);
    /**
     * Where the newer producer registers its versions. The app reads by schema id, whatever the subject; a subject
     * of its own keeps these versions from constraining (or being constrained by) other tests that evolve the
     * topic's subject in the shared registry.
     */
    private static final String NEWER_PRODUCER_SUBJECT = "proofs.newer-producer-value";
    static final Duration DRAIN = Duration.ofMinutes(10);

    private static Size size;
    private static long seed;
    private static Registry registry;
    private static Report report;

    @BeforeAll
    static void prepare() {
        size = Size.fromSystemProperty();
        seed = Long.getLong("proofs.seed", new Random().nextLong());
        String overrides = System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(Scenario.APP_OVERRIDE_PREFIX)).sorted()
                .map(k -> k.substring(Scenario.APP_OVERRIDE_PREFIX.length()) + "=" + System.getProperty(k))
                .collect(Collectors.joining(", "));
        report = new Report("Proofs (" + size.name() + ", seed " + seed + ", broker image "
                + PipelineContainers.KAFKA_IMAGE
                + (overrides.isEmpty() ? "" : ", app settings changed: " + overrides) + ")");
        System.out.println("[proofs] size " + size.name() + ", seed " + seed + " (replay with -Dproofs.seed=" + seed + ")");
        registry = Registry.shared();
    }

    @AfterAll
    static void printTable() {
        if (report != null) {
            System.out.println(report.table());
            report.write(Path.of(System.getProperty("proofs.dir", "target/proofs"), "report-" + size.name() + ".md"));
        }
        if (registry != null) {
            registry.thaw();
        }
    }

    @Test
    @Order(1)
    void appKilledWithSigkillWhileWritingKeepsExactlyOnce() {
        int events = size.killEvents();
        try (Scenario s = new Scenario("app-sigkill", seed + 1, events, registry, Map.of())) {
            s.publishCatalogAndPolicies();
            s.startApp();
            s.awaitCaughtUp(Topics.ORG_POLICIES.name(), Duration.ofMinutes(2));
            Random chaos = new Random(seed + 101);
            List<String> kills = new ArrayList<>();
            int whileWriting = 0;
            int leftOpen = 0;
            try (Input.Feed feed = s.input.feed(events, size.faultPerTick(), TICK, i -> s.good(s.traffic.event(i)))) {
                for (int k = 0; k < size.kills(); k++) {
                    int point = nextFaultPoint(chaos, feed.written(), events, size.kills() - k);
                    awaitFaultPoint(s, feed, point, events);
                    int at = feed.written();
                    long committed = s.committed(Topics.USAGE_EVENTS.name());
                    s.app().kill();
                    // a transaction the dead app left open shows as output partitions whose last stable offset lags
                    int open = s.openTransactions();
                    leftOpen += open > 0 ? 1 : 0;
                    boolean writing = at < events;
                    whileWriting += writing ? 1 : 0;
                    s.log("SIGKILL app after record " + at + " of " + events + " (it had committed " + committed + "; "
                            + open + " output partitions behind an open transaction)" + (writing ? "" : " - the producer had finished"));
                    kills.add(at + " (app had committed " + committed + ")");
                    s.startApp();
                }
                feed.awaitDone(DRAIN);
                s.log("input written: " + s.input.acked() + " records acknowledged");
            }
            Verdict v = s.verify(size.kills() + " x SIGKILL of the app while the producer writes, restart each time", DRAIN);
            v.note("SIGKILL after record " + String.join(", ", kills) + "; " + whileWriting + " of " + size.kills()
                    + " kills while the producer was writing; " + leftOpen + " of " + size.kills()
                    + " left a transaction open (the restarted app's producer aborts it); " + s.incarnations() + " app processes");
            conclude(v);
        }
    }

    /**
     * The app stopped cleanly (SIGTERM: its stores are flushed and checkpointed, so the next start reopens them from
     * disk instead of restoring them) and started again, while the producer writes: every event must still meet the
     * org policy in force at its event time, including orgs whose policy changes mid-stream (their older version is
     * history in the store, which a reopened Kafka Streams 4.3.1 versioned store does not find).
     */
    @Test
    @Order(6)
    void appStoppedCleanlyAndStartedAgainJudgesByThePolicyInForce() {
        int events = size.killEvents();
        try (Scenario s = new Scenario("app-restart", seed + 6, events, registry, Map.of())) {
            s.publishCatalogAndPolicies();
            s.startApp();
            s.awaitCaughtUp(Topics.ORG_POLICIES.name(), Duration.ofMinutes(2));
            Random chaos = new Random(seed + 106);
            List<String> stops = new ArrayList<>();
            try (Input.Feed feed = s.input.feed(events, size.faultPerTick(), TICK, i -> s.good(s.traffic.event(i)))) {
                for (int k = 0; k < size.kills(); k++) {
                    int point = nextFaultPoint(chaos, feed.written(), events, size.kills() - k);
                    awaitFaultPoint(s, feed, point, events);
                    int at = feed.written();
                    s.app().stop();
                    s.log("SIGTERM app after record " + at + " of " + events);
                    stops.add(Integer.toString(at));
                    s.startApp();
                }
                feed.awaitDone(DRAIN);
                s.log("input written: " + s.input.acked() + " records acknowledged");
            }
            Verdict v = s.verify(size.kills() + " x SIGTERM of the app while the producer writes, started again each time", DRAIN);
            v.note("SIGTERM after record " + String.join(", ", stops) + "; " + s.incarnations() + " app processes");
            conclude(v);
        }
    }

    @Test
    @Order(2)
    void brokerKilledAndRestartedMidStreamKeepsExactlyOnce() {
        // several runs (fresh broker, different kill points); every run must pass
        for (int run = 0; run < size.brokerRuns(); run++) {
            conclude(brokerRestarts(seed + 2 + 1_000L * run, size.brokerEvents(), size.brokerRestarts(), size.faultPerTick(), registry));
        }
    }

    /**
     * One run of the broker-restart proof: the app runs while a paced producer writes {@code events} records; the
     * broker container is SIGKILLed and started again {@code restarts} times at seeded points; the app (one
     * process) must survive and its committed outputs match the oracle. A stall fails with what it saw
     * ({@link Scenario#stallReport}: lag per partition, state, the stream threads' stacks). Also run in a loop
     * by {@link BrokerRestartLoop}.
     */
    static Verdict brokerRestarts(long runSeed, int events, int restarts, int perTick, Registry registry) {
        try (Scenario s = new Scenario("broker-restart", runSeed, events, registry, Map.of())) {
            s.publishCatalogAndPolicies();
            s.startApp();
            s.awaitCaughtUp(Topics.ORG_POLICIES.name(), Duration.ofMinutes(2));
            Random chaos = new Random(runSeed + 100);
            List<String> points = new ArrayList<>();
            try (Input.Feed feed = s.input.feed(events, perTick, TICK, i -> s.good(s.traffic.event(i)))) {
                for (int k = 0; k < restarts; k++) {
                    int point = nextFaultPoint(chaos, feed.written(), events, restarts - k);
                    awaitFaultPoint(s, feed, point, events);
                    int at = feed.written();
                    s.log("docker kill broker after record " + at);
                    s.broker.crashAndRestart();
                    s.log("broker answers again");
                    points.add(Integer.toString(at));
                }
                feed.awaitDone(DRAIN);
                s.log("input written: " + s.input.acked() + " records acknowledged");
            }
            assertThat(s.app().alive()).as("the app survives broker restarts").isTrue();
            Verdict v = s.verify(restarts + " x SIGKILL of the broker container (docker kill), same container started again"
                    + " (seed " + runSeed + ")", DRAIN);
            v.note("broker killed after record " + String.join(", ", points) + "; the app (one process) replaced "
                    + s.app().threadReplacements() + " stream thread(s)");
            return v;
        }
    }

    @Test
    @Order(3)
    void poisonPillsGoToTheDeadLetterTopicAndGoodEventsPass() {
        int good = size.pillGoodEvents();
        List<String> plan = new ArrayList<>(Collections.nCopies(good, "event"));
        PoisonPills.KINDS.forEach(kind -> plan.addAll(Collections.nCopies(size.pillsPerKind(), kind)));
        Collections.shuffle(plan, new Random(seed + 103));
        try (Scenario s = new Scenario("poison-pills", seed + 3, plan.size(), registry, Map.of())) {
            s.publishCatalogAndPolicies();
            PoisonPills pills = new PoisonPills(s, new Random(seed + 203));
            s.startApp();
            s.awaitCaughtUp(Topics.ORG_POLICIES.name(), Duration.ofMinutes(2));
            try (Input.Feed feed = s.input.feed(plan.size(), size.perTick(), TICK, i -> {
                UsageEvent e = s.traffic.event(i);
                return plan.get(i).equals("event") ? s.good(e) : pills.make(plan.get(i), e);
            })) {
                feed.awaitDone(DRAIN);
                s.log("input written: " + s.input.acked() + " records acknowledged");
            }
            Verdict v = s.verify(PoisonPills.KINDS.size() + " kinds of bad records x " + size.pillsPerKind()
                    + " mixed into good events", DRAIN);
            reasons(s).forEach((kind, reason) -> v.note("dead letter of a '" + kind + "': " + reason));
            conclude(v);
        }
    }

    @Test
    @Order(4)
    void registryOutageDelaysButNeverDeadLettersGoodEvents() {
        int perPhase = size.outageEvents();
        int events = perPhase * (1 + size.outages());
        // the app gives up on the registry quickly, so it meets the outage many times
        Map<String, String> impatient = Map.of(SerdeConfig.MAX_ATTEMPTS, "2", SerdeConfig.BACKOFF_MS, "100",
                SerdeConfig.REQUEST_TIMEOUT_MS, "1000");
        try (Scenario s = new Scenario("registry-outage", seed + 4, events, registry, impatient)) {
            s.publishCatalogAndPolicies();
            s.startApp();
            s.awaitCaughtUp(Topics.ORG_POLICIES.name(), Duration.ofMinutes(2));
            // phase 0: the app's own schema version; the app caches it and every output schema
            try (Input.Feed feed = s.input.feed(perPhase, size.perTick(), TICK, i -> s.good(s.traffic.event(i)))) {
                feed.awaitDone(DRAIN);
                s.log("input written: " + s.input.acked() + " records acknowledged");
            }
            s.awaitCaughtUp(Topics.USAGE_EVENTS.name(), DRAIN);
            SchemaRegistryClient client = SchemaRegistryClient.create(SerdeConfig.from(s.serdeConfig));
            Random mix = new Random(seed + 104);
            List<String> outages = new ArrayList<>();
            for (int outage = 1; outage <= size.outages(); outage++) {
                Schema newer = WireFormat.withOptionalFields(outage);
                int newerId = client.register(NEWER_PRODUCER_SUBJECT, newer);
                int offset = perPhase * outage;
                long replacedBefore = s.app().threadReplacements();
                registry.freeze();
                s.log("registry frozen (SIGSTOP); new schema version id " + newerId);
                try {
                    // during the outage: events in the cached version and in a version the app has never seen
                    List<Boolean> newVersion = new ArrayList<>();
                    for (int i = 0; i < perPhase; i++) {
                        newVersion.add(mix.nextBoolean());
                    }
                    String field = "region" + outage;
                    String kind = "event v" + (1 + outage);
                    try (Input.Feed feed = s.input.feed(perPhase, size.perTick(), TICK, i -> {
                        UsageEvent e = s.traffic.event(offset + i);
                        return newVersion.get(i)
                                ? s.good(e, WireFormat.encode(newerId, newer, e, r -> r.put(field, "eu-west")), kind)
                                : s.good(e);
                    })) {
                        feed.awaitDone(DRAIN);
                        s.log("input written: " + s.input.acked() + " records acknowledged");
                    }
                    // the outage lasts until the app has failed on it (and retried) failuresPerOutage times
                    Poll.until("the app to fail on the outage " + size.failuresPerOutage() + " time(s)", DRAIN,
                            () -> s.app().threadReplacements() >= replacedBefore + size.failuresPerOutage(),
                            () -> s.app().lastLines());
                } finally {
                    registry.thaw();
                    s.log("registry thawed (SIGCONT)");
                }
                outages.add("outage " + outage + ": schema id " + newerId + ", " + (s.app().threadReplacements() - replacedBefore)
                        + " thread replacement(s) while frozen");
                s.awaitCaughtUp(Topics.USAGE_EVENTS.name(), DRAIN);
            }
            Verdict v = s.verify(size.outages() + " x registry frozen (SIGSTOP) while events of a new schema version arrive, then SIGCONT",
                    DRAIN);
            outages.forEach(v::note);
            conclude(v);
        }
    }

    // ----------------------------------------------------------------------------------------------

    private static void conclude(Verdict v) {
        report.add(v);
        assertThat(v.problems).as("problems found in " + v.scenario).isEmpty();
        assertThat(v.pass()).as(v.scenario + " verdict (see the table above)").isTrue();
    }

    /** A random record number ahead of {@code written}, leaving room for the {@code faultsLeft - 1} faults after it. */
    private static int nextFaultPoint(Random chaos, int written, int events, int faultsLeft) {
        return written + 1 + chaos.nextInt(Math.max(1, (events - written) / (faultsLeft + 1)));
    }

    /** Waits until the feed passed {@code point} (or finished) and the app committed progress since (or caught up). */
    private static void awaitFaultPoint(Scenario s, Input.Feed feed, int point, int events) {
        String input = Topics.USAGE_EVENTS.name();
        long before = s.committed(input);
        Poll.until("the feed to pass record " + point + " and the app to commit progress", DRAIN,
                () -> (feed.written() >= point || feed.written() >= events)
                        && (s.committed(input) > before || s.caughtUp(input)));
    }

    /** The reason header of the first dead letter of each kind of pill. */
    private static Map<String, String> reasons(Scenario s) {
        Map<String, String> byKind = new TreeMap<>();
        Map<String, List<String>> deadLetters = s.found().of(Topics.DEAD_LETTER.name());
        for (Input.Sent sent : s.input.sent()) {
            List<String> found = deadLetters.get(sent.id());
            if (!sent.good() && found != null && !byKind.containsKey(sent.kind())) {
                String v = found.get(0);
                byKind.put(sent.kind(), v.substring("reason=".length(), v.indexOf(" | value")));
            }
        }
        return byKind;
    }
}
