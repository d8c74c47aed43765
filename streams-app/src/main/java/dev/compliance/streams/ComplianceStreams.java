package dev.compliance.streams;

import dev.compliance.serde.RegistryUnavailableException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one way to start the pipeline: Kafka Streams built from {@link ComplianceTopology} with the
 * {@link ComplianceApp} properties, its state listener and its failure policy. {@code compliance run},
 * {@code compliance demo}, the integration tests, the proofs and the benchmarks all start it here, so
 * the proofs test the failure policy that ships.
 *
 * <p>The failure policy: a stream thread that dies of a transient error (a {@link RetriableException}
 * or a {@link RegistryUnavailableException} anywhere in the cause chain: timeouts, leader changes, a
 * schema registry outage) is replaced, processing again from the last commit, at most
 * {@value #MAX_REPLACEMENTS} times in {@value #REPLACEMENT_WINDOW_MINUTES} minutes; any other error stops
 * the application (state ERROR) rather than skipping records.
 */
public final class ComplianceStreams implements AutoCloseable {

    public static final int MAX_REPLACEMENTS = 10;
    public static final int REPLACEMENT_WINDOW_MINUTES = 10;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ComplianceStreams.class);

    /** What the app tells its runner; every method has a default that does nothing. */
    public interface Events {
        default void stateChanged(KafkaStreams.State oldState, KafkaStreams.State newState) {
        }

        default void threadReplaced(Throwable error) {
        }

        default void stopping(Throwable error) {
        }
    }

    private final KafkaStreams streams;
    private final Events events;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ReplacementBudget replacements =
            new ReplacementBudget(MAX_REPLACEMENTS, Duration.ofMinutes(REPLACEMENT_WINDOW_MINUTES));
    private volatile boolean failed;

    /**
     * Builds (does not start) Kafka Streams.
     *
     * @param settings every setting: bootstrap.servers, schema.registry.url, compliance.*, any Streams or client property
     * @param events   told of state changes and thread failures
     */
    public ComplianceStreams(Map<String, ?> settings, Events events) {
        this.events = events;
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

    /** The Kafka Streams instance, for metrics, interactive queries and metadata. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
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
        events.stateChanged(oldState, newState);
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
            events.threadReplaced(error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("stopping: a stream thread failed ({})", describe(error), error);
        events.stopping(error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** A RetriableException or a RegistryUnavailableException anywhere in the cause chain. */
    public static boolean isTransient(Throwable error) {
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

    /** The root cause's class and message. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
