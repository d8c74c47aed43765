package dev.compliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import dev.compliance.cli.runtime.EmbeddedKafkaBroker;
import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void verifyFailsOnAMissingTopicThenCreateMakesThemAllAndVerifyPasses() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setErr(new PrintWriter(err, true));

        int before = cli.execute("topics", "--bootstrap-servers", broker.bootstrapServers(), "--verify");
        int create = cli.execute("topics", "--bootstrap-servers", broker.bootstrapServers());
        int again = cli.execute("topics", "--bootstrap-servers", broker.bootstrapServers());
        int after = cli.execute("topics", "--bootstrap-servers", broker.bootstrapServers(), "--verify");

        assertThat(before).isEqualTo(2);
        assertThat(err.toString()).startsWith("compliance topics: topic compliance.usage-events does not exist; ");
        assertThat(create).isZero();
        assertThat(again).isZero();
        assertThat(after).isZero();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(Topics.ALL.stream().map(Topics.Topic::name).toList());
        }
    }
}
