package dev.compliance.cli;

import dev.compliance.cli.runtime.RunSettings;
import dev.compliance.cli.runtime.StreamsRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code compliance run}: production mode. Settings come from flags, then --config FILE, then
 * COMPLIANCE_* environment variables, then defaults (the table in docs/operations.md). Several instances with
 * the same application id share the partitions.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Connects to a Kafka cluster and a schema registry, creates or checks the topics, and runs the",
                "pipeline until Ctrl-C or SIGTERM. Start more instances with the same --application-id to share the work.",
                "Precedence: flags > --config FILE > COMPLIANCE_* environment variables > defaults."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka brokers (default localhost:9092).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Confluent-API schema registry (default http://localhost:8081).")
    String schemaRegistryUrl;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (default claude-compliance).")
    String applicationId;

    @Option(names = "--threads", paramLabel = "N", description = "Processing threads (default 1).")
    String threads;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state directory.")
    String stateDir;

    @Option(names = "--replication-factor", paramLabel = "N", description = "Replication factor of created and internal topics (default min(3, brokers)).")
    String replicationFactor;

    @Option(names = "--health-host", paramLabel = "HOST", description = "Address of /health and /metrics (default 127.0.0.1).")
    String healthHost;

    @Option(names = "--health-port", paramLabel = "PORT", description = "Port of /health and /metrics (default 8080; 0 = any free port).")
    String healthPort;

    @Option(names = "--health-stall-ms", paramLabel = "MS", description = "/health answers 503 when the app is REBALANCING, or lags without progress, longer than this (default 120000).")
    String healthStallMs;

    @Option(names = "--publish-catalog", description = "Publish the bundled policy catalog at start (it is always published when compliance.catalog is empty).")
    boolean publishCatalog;

    @Option(names = "--config", paramLabel = "FILE", description = "Java properties: any Kafka Streams, client, serde or compliance.* property.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        if (config != null && !Files.isReadable(config)) {
            throw new IllegalArgumentException("--config " + config + ": no such file or not readable");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, RunSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        put(flags, RunSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        put(flags, RunSettings.APPLICATION_ID, applicationId);
        put(flags, RunSettings.NUM_STREAM_THREADS, threads);
        put(flags, RunSettings.STATE_DIR, stateDir);
        put(flags, RunSettings.REPLICATION_FACTOR, replicationFactor);
        put(flags, RunSettings.HEALTH_HOST, healthHost);
        put(flags, RunSettings.HEALTH_PORT, healthPort);
        put(flags, RunSettings.HEALTH_STALL_MS, healthStallMs);
        put(flags, RunSettings.PUBLISH_CATALOG, publishCatalog ? "true" : null);
        RunSettings settings = RunSettings.resolve(flags, Optional.ofNullable(config), System.getenv());
        return StreamsRunner.runUntilStopped(settings, System.out);
    }

    private static void put(Map<String, String> flags, String property, String value) {
        if (value != null) {
            flags.put(property, value);
        }
    }
}
