package dev.compliance.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.compliance.cli.runtime.RunSettings;
import dev.compliance.cli.runtime.TopicSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code compliance topics}: creates the pipeline's topics, or checks them, and exits. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Creates the pipeline's topics, or checks them, and exits.",
                "Missing topics are created with their declared partitions and configs; existing ones must have the",
                "declared partition count and cleanup policy. Idempotent: exit code 0 when every topic is as declared.",
                "Settings as for `run`: flags > --config FILE > COMPLIANCE_* environment variables > defaults."})
public final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka brokers (default localhost:9092).")
    String bootstrapServers;

    @Option(names = "--replication-factor", paramLabel = "N", description = "Replication factor of created topics (default min(3, brokers)).")
    String replicationFactor;

    @Option(names = "--config", paramLabel = "FILE", description = "Java properties with client settings (security.protocol, sasl.*, ssl.*).")
    Path config;

    @Option(names = "--verify", description = "Only check: create nothing, fail if a topic is missing or differs.")
    boolean verify;

    @Override
    public Integer call() {
        if (config != null && !Files.isReadable(config)) {
            throw new IllegalArgumentException("--config " + config + ": no such file or not readable");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(RunSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (replicationFactor != null) {
            flags.put(RunSettings.REPLICATION_FACTOR, replicationFactor);
        }
        RunSettings settings = RunSettings.resolve(flags, Optional.ofNullable(config), System.getenv());
        try (TopicSetup setup = TopicSetup.connect(settings)) {
            short factor = setup.replicationFactor(settings.replicationFactor());
            if (verify) {
                setup.verify(TopicSetup.pipelineTopics());
                System.out.println("all " + TopicSetup.pipelineTopics().size() + " topics exist as declared");
                return 0;
            }
            TopicSetup.Outcome outcome = setup.ensurePipelineTopics(factor);
            outcome.created().forEach(name -> System.out.println("created " + name + " (replication factor " + factor + ")"));
            outcome.alreadyPresent().forEach(name -> System.out.println("checked " + name));
            return 0;
        }
    }
}
