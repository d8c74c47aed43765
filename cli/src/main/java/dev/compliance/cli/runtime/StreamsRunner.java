package dev.compliance.cli.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.compliance.serde.RegistryUnavailableException;
import dev.compliance.streams.ComplianceApp;
import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.ComplianceTopology;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the compliance topology: Kafka Streams built from {@link ComplianceTopology} with the
 * {@link ComplianceApp} properties, plus what a long-running service needs around it.
 *
 * <ul>
 *   <li>A stream thread that dies of a transient error (a {@link RetriableException} or a
 *       {@link RegistryUnavailableException} anywhere in the cause chain: timeouts, leader changes, a schema
 *       registry outage) is replaced, processing again from the last commit, at most {@value #MAX_REPLACEMENTS} times in
 *       {@value #REPLACEMENT_WINDOW_MINUTES} minutes; any other error stops the application (state
 *       ERROR) rather than skipping records.</li>
 *   <li>State changes are reported to a line consumer ({@code streams: REBALANCING -> RUNNING}).</li>
 * </ul>
 * {@link #runUntilStopped} is the whole {@code compliance run} command.
 */
public final class StreamsRunner implements AutoCloseable {

    static final int MAX_REPLACEMENTS = 10;
    static final int REPLACEMENT_WINDOW_MINUTES = 10;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

    private final KafkaStreams streams;
    private final Consumer<String> stateLog;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ReplacementBudget replacements =
            new ReplacementBudget(MAX_REPLACEMENTS, Duration.ofMinutes(REPLACEMENT_WINDOW_MINUTES));
    private volatile boolean failed;

    /**
     * Builds (does not start) Kafka Streams.
     *
     * @param settings every setting: bootstrap.servers, schema.registry.url, compliance.*, any Streams or client property
     * @param stateLog receives one line per state change
     */
    public StreamsRunner(Map<String, ?> settings, Consumer<String> stateLog) {
        this.stateLog = stateLog;
        Object bootstrap = settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null) {
            throw new IllegalArgumentException(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG + " is required");
        }
        Properties properties = ComplianceApp.streamsProperties(bootstrap.toString(), settings);
        this.streams = new KafkaStreams(ComplianceTopology.build(settings), properties);
        streams.setStateListener(this::onStateChange);
        streams.setUncaughtExceptionHandler(this::onUncaughtException);
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Kafka Streams instance, for interactive queries (the API). */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /** Waits until Kafka Streams first reaches RUNNING; false if it did not within {@code timeout} or stopped. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !failed;
    }

    /** Blocks until Kafka Streams has stopped (closed, or failed: see {@link #failed()}). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** True if Kafka Streams stopped because of an error. */
    public boolean failed() {
        return failed;
    }

    /** Stops Kafka Streams, waiting up to 30 seconds for in-flight transactions to finish. */
    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
        stopped.countDown();
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        stateLog.accept("streams: " + oldState + " -> " + newState);
        if (newState == KafkaStreams.State.RUNNING) {
            running.countDown();
        }
        if (newState == KafkaStreams.State.ERROR) {
            failed = true;
            running.countDown();
            stopped.countDown();
        }
        if (newState == KafkaStreams.State.NOT_RUNNING) {
            running.countDown();
            stopped.countDown();
        }
    }

    private StreamThreadExceptionResponse onUncaughtException(Throwable error) {
        if (isTransient(error) && replacements.tryUse(System.nanoTime())) {
            LOG.warn("a stream thread failed ({}); starting a new one", describe(error));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("stopping: a stream thread failed ({})", describe(error), error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Allows at most {@code max} thread replacements in any window of {@code window}. */
    static final class ReplacementBudget {
        private final int max;
        private final long windowNanos;
        private final Deque<Long> used = new ArrayDeque<>();

        ReplacementBudget(int max, Duration window) {
            this.max = max;
            this.windowNanos = window.toNanos();
        }

        synchronized boolean tryUse(long nowNanos) {
            while (!used.isEmpty() && nowNanos - used.peekFirst() >= windowNanos) {
                used.removeFirst();
            }
            if (used.size() >= max) {
                return false;
            }
            used.addLast(nowNanos);
            return true;
        }
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Kafka Streams and its health endpoint, started together by {@link #startService}. */
    public record Service(StreamsRunner runner, HealthServer health) implements AutoCloseable {
        @Override
        public void close() {
            runner.close();
            health.close();
        }
    }

    /**
     * Checks (and unless told otherwise creates) the topics, then starts Kafka Streams and the health
     * endpoint. Returns at once; Kafka Streams goes on to REBALANCING and RUNNING in the background.
     */
    public static Service startService(RunSettings settings, PrintStream out) {
        settings.describe().forEach(line -> out.println("  " + line));
        Map<String, Object> config = new HashMap<>(settings.asMap());
        ComplianceConfig.from(config); // a missing secret or registry URL is reported before anything is created
        prepareCluster(settings, config, out);
        StreamsRunner runner = new StreamsRunner(config, out::println);
        HealthServer health = HealthServer.start(settings.healthHost(), settings.healthPort(), settings.healthStallMs(), runner::state, runner::metrics);
        dev.compliance.cli.api.LedgerApi.mount(health, runner.kafkaStreams(), config);
        out.println("health: http://" + settings.healthHost() + ":" + health.port() + "/health  metrics: /metrics  api: /api/openapi.json  console: /");
        runner.start();
        return new Service(runner, health);
    }

    /**
     * The {@code compliance run} command: {@link #startService}, then blocks until the process is
     * stopped (SIGTERM, Ctrl-C: Kafka Streams closes cleanly) or Kafka Streams fails.
     *
     * @return the exit code: 0 after a requested stop, 1 if Kafka Streams failed
     */
    public static int runUntilStopped(RunSettings settings, PrintStream out) throws InterruptedException {
        Service service = startService(settings, out);
        Thread hook = new Thread(() -> {
            out.println("stopping...");
            service.close();
        }, "compliance-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.runner().awaitStopped();
        if (service.runner().failed()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDownAlready) {
                // the hook is running or has run: it closes the service
            }
            service.close();
            out.println("stopped: Kafka Streams failed (see the error above)");
            return 1;
        }
        return 0;
    }

    /**
     * Creates or checks the topics, sets Streams' replication.factor to the topics' one, registers the
     * value schemas with BACKWARD compatibility (an incompatible build fails here), and publishes the
     * bundled catalog when asked to or when the catalog topic is empty.
     */
    private static void prepareCluster(RunSettings settings, Map<String, Object> config, PrintStream out) {
        try (TopicSetup setup = TopicSetup.connect(settings)) {
            short replicationFactor = setup.replicationFactor(settings.replicationFactor());
            config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
            if (settings.createTopics()) {
                TopicSetup.Outcome outcome = setup.ensurePipelineTopics(replicationFactor);
                if (!outcome.created().isEmpty()) {
                    out.println("created topics " + String.join(", ", outcome.created())
                            + " (replication factor " + replicationFactor + ")");
                }
            } else {
                setup.verify(TopicSetup.pipelineTopics());
            }
            out.println("schemas " + String.join(", ", dev.compliance.topics.SchemaSetup.ensure(config))
                    + " (" + dev.compliance.topics.SchemaSetup.COMPATIBILITY + ")");
            if (settings.publishCatalog() || setup.isEmpty(Topics.CATALOG.name())) {
                int rows = CatalogPublisher.publish(PolicyCatalog.load(), settings.bootstrapServers(), config);
                out.println("published the bundled policy catalog (" + rows + " rows) to " + Topics.CATALOG.name());
            }
        }
    }
}
