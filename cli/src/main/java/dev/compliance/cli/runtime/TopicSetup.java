package dev.compliance.cli.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
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
public final class TopicSetup {

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

    public TopicSetup(Admin admin) {
        this.admin = admin;
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
                differences.add("topic " + spec.name() + " has cleanup.policy=" + policy + ", expected " + spec.cleanupPolicy());
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
