package dev.compliance.cli.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.compliance.topics.Topics;

/**
 * Creates the pipeline's topics, or checks the ones that already exist.
 *
 * <p>A missing topic is created with its declared partitions and configs. An existing topic must have
 * the declared partition count and cleanup policy: a difference stops the setup with a message naming
 * the topic and the difference (the join of usage events and org policies needs equal partition
 * counts, and a compacted topic that deletes would lose the latest policy of quiet orgs). Other
 * configs of an existing topic (retention, ...) are left as the operator set them.
 */
public final class TopicSetup implements AutoCloseable {

    /** What a topic must look like. */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {

        public String cleanupPolicy() {
            return configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        }

        static TopicSpec of(Topics.Topic<?, ?> topic) {
            return new TopicSpec(topic.name(), topic.partitions(), topic.configs());
        }
    }

    /** What {@link #ensure} did. */
    public record Outcome(List<String> created, List<String> alreadyPresent) {
    }

    /** An existing topic differs from its declaration; the message names the topics and the differences. */
    public static final class TopicMismatchException extends RuntimeException {
        TopicMismatchException(String message) {
            super(message);
        }
    }

    private static final Duration METADATA_PROPAGATION_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final boolean ownsAdmin;
    private final String bootstrapServers;

    /** Works with {@code admin}, which stays open after {@link #close()}. */
    public TopicSetup(Admin admin) {
        this(admin, false, "the cluster");
    }

    private TopicSetup(Admin admin, boolean ownsAdmin, String bootstrapServers) {
        this.admin = admin;
        this.ownsAdmin = ownsAdmin;
        this.bootstrapServers = bootstrapServers;
    }

    /** Connects with the settings' client properties (bootstrap.servers, security.protocol, sasl.*, ...). */
    public static TopicSetup connect(RunSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.asMap());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return new TopicSetup(Admin.create(config), true, settings.bootstrapServers());
    }

    /**
     * The replication factor to use: {@code requested}, or the {@linkplain #defaultReplicationFactor() default}.
     * This is the first request to the cluster: it fails with a message naming the bootstrap servers.
     */
    public short replicationFactor(Optional<Short> requested) {
        int brokers;
        try {
            brokers = brokerCount();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " (" + e.getMessage() + ")", e);
        }
        return requested.orElse((short) Math.min(3, brokers));
    }

    /** The admin client, for the few other requests a command makes. */
    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close();
        }
    }

    /** Every topic declared in {@link Topics#ALL}. */
    public static List<TopicSpec> pipelineTopics() {
        return Topics.ALL.stream().map(TopicSpec::of).toList();
    }

    /** Creates or checks every pipeline topic with the {@linkplain #defaultReplicationFactor() default replication factor}. */
    public Outcome ensurePipelineTopics() {
        return ensure(pipelineTopics(), defaultReplicationFactor());
    }

    /** Creates or checks every pipeline topic. */
    public Outcome ensurePipelineTopics(short replicationFactor) {
        return ensure(pipelineTopics(), replicationFactor);
    }

    /** The default replication factor: 3, or the number of brokers if the cluster is smaller. */
    public short defaultReplicationFactor() {
        return (short) Math.min(3, brokerCount());
    }

    /**
     * Creates the missing topics with {@code replicationFactor} and checks the existing ones.
     *
     * @throws TopicMismatchException if an existing topic has another partition count or cleanup policy
     * @throws IllegalArgumentException if the replication factor is below 1 or above the number of brokers
     */
    public Outcome ensure(List<TopicSpec> specs, short replicationFactor) {
        int brokers = brokerCount();
        if (replicationFactor < 1 || replicationFactor > brokers) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " is not possible with "
                    + brokers + " broker(s): use a value from 1 to " + brokers);
        }
        Set<String> existing = call(admin.listTopics().names(), "list topics");
        List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
        List<String> created = new ArrayList<>();
        for (TopicSpec spec : missing) {
            NewTopic topic = new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs());
            try {
                admin.createTopics(List.of(topic)).all().get();
                created.add(spec.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + spec.name() + ": " + e.getCause().getMessage(), e);
                }
                // created meanwhile by another instance: it is checked below like any existing topic
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + spec.name(), e);
            }
        }
        // the topics just created are checked too: this also waits until the broker knows them
        List<String> differences = differences(specs);
        if (!differences.isEmpty()) {
            throw new TopicMismatchException(String.join("; ", differences));
        }
        List<String> alreadyPresent = specs.stream().map(TopicSpec::name).filter(name -> !created.contains(name)).toList();
        return new Outcome(List.copyOf(created), alreadyPresent);
    }

    /**
     * Checks without creating anything.
     *
     * @throws TopicMismatchException if a topic is missing or differs from its declaration
     */
    public void verify(List<TopicSpec> specs) {
        Set<String> existing = call(admin.listTopics().names(), "list topics");
        List<String> problems = new ArrayList<>();
        specs.stream().filter(s -> !existing.contains(s.name()))
                .forEach(s -> problems.add("topic " + s.name() + " does not exist"));
        problems.addAll(differences(specs.stream().filter(s -> existing.contains(s.name())).toList()));
        if (!problems.isEmpty()) {
            throw new TopicMismatchException(String.join("; ", problems));
        }
    }

    /** True if no partition of {@code topic} holds a record (its earliest and latest offsets are equal). */
    public boolean isEmpty(String topic) {
        TopicDescription description = callWhenVisible(() -> admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic)
                .get(topic);
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> {
            earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        });
        Map<TopicPartition, ListOffsetsResultInfo> first = call(admin.listOffsets(earliest).all(), "list offsets of " + topic);
        Map<TopicPartition, ListOffsetsResultInfo> last = call(admin.listOffsets(latest).all(), "list offsets of " + topic);
        return first.keySet().stream().allMatch(tp -> first.get(tp).offset() == last.get(tp).offset());
    }

    private List<String> differences(List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<String, TopicDescription> descriptions = callWhenVisible(() -> admin.describeTopics(names).allTopicNames(), "describe topics");
        Map<ConfigResource, Config> configs = callWhenVisible(() -> admin.describeConfigs(resources).all(), "describe topic configs");
        List<String> differences = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                differences.add("topic " + spec.name() + " has " + partitions + " partitions, expected " + spec.partitions());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policies(policy).equals(policies(spec.cleanupPolicy()))) {
                differences.add("topic " + spec.name() + " has cleanup.policy=" + policy + ", expected " + spec.cleanupPolicy()
                        + " (kafka-configs.sh --alter --topic " + spec.name() + " --add-config '"
                        + spec.configs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")) + "')");
            }
        }
        return differences;
    }

    private int brokerCount() {
        Collection<?> nodes = call(admin.describeCluster().nodes(), "describe the cluster");
        return nodes.size();
    }

    private static Set<String> policies(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Like {@link #call}, but asks again while the broker does not know a topic yet: a topic just created
     * (here or by another instance) reaches the brokers' metadata a moment after the controller accepts it.
     */
    private static <T> T callWhenVisible(Supplier<KafkaFuture<T>> request, String what) {
        long deadline = System.nanoTime() + METADATA_PROPAGATION_TIMEOUT.toNanos();
        while (true) {
            try {
                return request.get().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trying to " + what, e);
            }
        }
    }

    private static <T> T call(KafkaFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
