package dev.compliance.cli.runtime;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.compliance.streams.ComplianceConfig;
import dev.compliance.streams.ComplianceStreams;
import dev.compliance.streams.catalog.CatalogPublisher;
import dev.compliance.streams.catalog.PolicyCatalog;
import dev.compliance.topics.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The {@code compliance run} service: the topics checked or created, the schemas registered, the
 * catalog published when needed, then {@link ComplianceStreams} (the app and its failure policy) and
 * the health endpoint. {@link #runUntilStopped} is the whole {@code compliance run} command.
 */
public final class StreamsRunner {

    private StreamsRunner() {
    }

    /** Kafka Streams and its health endpoint, started together by {@link #startService}. */
    public record Service(ComplianceStreams runner, HealthServer health) implements AutoCloseable {
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
        ComplianceStreams runner = new ComplianceStreams(config, stateLines(out::println));
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

    /** Events as lines: {@code streams: REBALANCING -> RUNNING}. */
    public static ComplianceStreams.Events stateLines(Consumer<String> lines) {
        return new ComplianceStreams.Events() {
            @Override
            public void stateChanged(KafkaStreams.State oldState, KafkaStreams.State newState) {
                lines.accept("streams: " + oldState + " -> " + newState);
            }
        };
    }
}
