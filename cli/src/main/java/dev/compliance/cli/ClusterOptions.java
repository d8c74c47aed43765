package dev.compliance.cli;

import dev.compliance.cli.runtime.RunSettings;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options of the commands that talk to the cluster without running the pipeline ({@code policy},
 * {@code catalog publish}, {@code produce}): where the brokers and the schema registry are, and a properties file for
 * client security. Resolved like {@code run}'s: flags > --config FILE > COMPLIANCE_* environment > defaults.
 */
public class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka brokers (default localhost:9092).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Confluent-API schema registry (default http://localhost:8081).")
    String schemaRegistryUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "Java properties with client settings (security.protocol, sasl.*, ssl.*, basic.auth.*).")
    Path config;

    /** The client and serde settings. */
    public Map<String, Object> clientConfig() {
        if (config != null && !Files.isReadable(config)) {
            throw new IllegalArgumentException("--config " + config + ": no such file or not readable");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(RunSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            flags.put(RunSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        return new HashMap<>(RunSettings.resolve(flags, Optional.ofNullable(config), System.getenv()).asMap());
    }
}
