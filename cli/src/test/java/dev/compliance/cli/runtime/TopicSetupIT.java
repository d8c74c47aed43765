package dev.compliance.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.compliance.cli.runtime.TopicSetup.Outcome;
import dev.compliance.cli.runtime.TopicSetup.TopicMismatchException;
import dev.compliance.cli.runtime.TopicSetup.TopicSpec;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicSetupIT {

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void createsMissingTopicsThenAcceptsThemAsTheyAre() throws Exception {
        List<TopicSpec> specs = List.of(
                new TopicSpec("t1.events", 3, Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000")),
                new TopicSpec("t1.table", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        TopicSetup setup = new TopicSetup(admin);

        Outcome first = setup.ensure(specs, (short) 1);
        Outcome second = setup.ensure(specs, (short) 1);

        assertThat(first.created()).containsExactly("t1.events", "t1.table");
        assertThat(second.created()).isEmpty();
        assertThat(second.alreadyPresent()).containsExactly("t1.events", "t1.table");
        assertThat(admin.describeTopics(List.of("t1.events")).allTopicNames().get().get("t1.events").partitions()).hasSize(3);
        ConfigResource table = new ConfigResource(ConfigResource.Type.TOPIC, "t1.table");
        Config config = admin.describeConfigs(List.of(table)).all().get().get(table);
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }

    @Test
    void existingTopicWithOtherPartitionCountOrCleanupPolicyIsRefusedByName() throws Exception {
        admin.createTopics(List.of(
                new NewTopic("t2.events", 2, (short) 1),
                new NewTopic("t2.table", 1, (short) 1))).all().get();
        List<TopicSpec> specs = List.of(
                new TopicSpec("t2.events", 6, Map.of()),
                new TopicSpec("t2.table", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));

        assertThatThrownBy(() -> new TopicSetup(admin).ensure(specs, (short) 1))
                .isInstanceOf(TopicMismatchException.class)
                .hasMessage("topic t2.events has 2 partitions, expected 6; "
                        + "topic t2.table has cleanup.policy=delete, expected compact"
                        + " (kafka-configs.sh --alter --topic t2.table --add-config 'cleanup.policy=compact')");
    }

    @Test
    void createsEveryPipelineTopicAsDeclared() throws Exception {
        Outcome outcome = new TopicSetup(admin).ensurePipelineTopics();

        assertThat(outcome.created()).containsExactlyElementsOf(
                Topics.ALL.stream().map(Topics.Topic::name).toList());
        Map<String, TopicDescription> described = admin.describeTopics(outcome.created()).allTopicNames().get();
        for (Topics.Topic<?, ?> topic : Topics.ALL) {
            assertThat(described.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
        }
        ConfigResource catalog = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CATALOG.name());
        assertThat(admin.describeConfigs(List.of(catalog)).all().get().get(catalog)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        // the policy history: every version kept ten years, never compacted away; scheduled versions accepted
        ConfigResource policies = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ORG_POLICIES.name());
        var policyConfig = admin.describeConfigs(List.of(policies)).all().get().get(policies);
        String tenYears = Long.toString(java.time.Duration.ofDays(3650).toMillis());
        assertThat(policyConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
        assertThat(policyConfig.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(tenYears);
        assertThat(policyConfig.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value()).isEqualTo("CreateTime");
        assertThat(policyConfig.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG).value()).isEqualTo(tenYears);
        assertThat(new TopicSetup(admin).ensurePipelineTopics().created()).isEmpty();
    }

    @Test
    void replicationFactorMustFitTheCluster() {
        TopicSetup setup = new TopicSetup(admin);

        assertThat(setup.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThatThrownBy(() -> setup.ensure(List.of(new TopicSpec("t3", 1, Map.of())), (short) 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replication factor 3 is not possible with 1 broker(s): use a value from 1 to 1");
    }
}
