package dev.compliance.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {

    @TempDir
    Path dir;

    @Test
    void flagsBeatTheFileWhichBeatsTheEnvironmentWhichBeatsDefaults() throws Exception {
        Path file = dir.resolve("run.properties");
        Files.writeString(file, """
                bootstrap.servers=file:9092
                schema.registry.url=http://file:8081
                max.poll.records=100
                """);
        Map<String, String> env = Map.of(
                "COMPLIANCE_BOOTSTRAP_SERVERS", "env:9092",
                "COMPLIANCE_SCHEMA_REGISTRY_URL", "http://env:8081",
                "COMPLIANCE_APPLICATION_ID", "from-env",
                "COMPLIANCE_PSEUDONYM_SECRET", "0123456789abcdef-env",
                "UNRELATED", "x");

        RunSettings settings = RunSettings.resolve(Map.of("bootstrap.servers", "flag:9092"), Optional.of(file), env);

        assertThat(settings.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(settings.get("schema.registry.url")).contains("http://file:8081");
        assertThat(settings.get("application.id")).contains("from-env");
        assertThat(settings.get("compliance.pseudonym.secret")).contains("0123456789abcdef-env");
        assertThat(settings.get("max.poll.records")).contains("100");
        assertThat(settings.get("num.stream.threads")).contains("1");
        assertThat(settings.healthPort()).isEqualTo(8080);
        assertThat(settings.createTopics()).isTrue();
        assertThat(settings.publishCatalog()).isFalse();
        assertThat(settings.replicationFactor()).isEmpty();
        assertThat(settings.asMap()).doesNotContainKey("UNRELATED");
    }

    @Test
    void environmentVariableNamesFollowOneRule() {
        assertThat(setting("bootstrap.servers").environmentVariable()).isEqualTo("COMPLIANCE_BOOTSTRAP_SERVERS");
        assertThat(setting("compliance.pseudonym.secret").environmentVariable()).isEqualTo("COMPLIANCE_PSEUDONYM_SECRET");
        assertThat(setting("compliance.health.port").environmentVariable()).isEqualTo("COMPLIANCE_HEALTH_PORT");
        assertThat(setting("basic.auth.user.info").environmentVariable()).isEqualTo("COMPLIANCE_BASIC_AUTH_USER_INFO");
    }

    @Test
    void secretsAreMaskedWhenDescribed() {
        RunSettings settings = RunSettings.resolve(Map.of(), Optional.empty(), Map.of(
                "COMPLIANCE_PSEUDONYM_SECRET", "0123456789abcdef-secret",
                "COMPLIANCE_SASL_JAAS_CONFIG", "module required password=\"p\";"));

        assertThat(settings.describe())
                .contains("compliance.pseudonym.secret = ******** (environment)",
                        "sasl.jaas.config = ******** (environment)",
                        "bootstrap.servers = localhost:9092 (default)")
                .noneMatch(line -> line.contains("0123456789abcdef") || line.contains("password=\"p\""));
    }

    @Test
    void badValuesGiveOneLineMessagesNamingTheSetting() {
        assertThatThrownBy(() -> RunSettings.resolve(Map.of("compliance.health.port", "http"), Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("compliance.health.port must be a whole number from 0 to 65535, got 'http' (flag)");
        assertThatThrownBy(() -> RunSettings.resolve(Map.of(), Optional.empty(), Map.of("COMPLIANCE_NUM_STREAM_THREADS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("num.stream.threads must be a whole number from 1 to 64, got '0' (environment)");
        assertThatThrownBy(() -> RunSettings.resolve(Map.of(), Optional.of(dir.resolve("missing.properties")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + dir.resolve("missing.properties") + " does not exist");
        assertThatThrownBy(() -> RunSettings.resolve(Map.of("compliance.topics.create", "yes"), Optional.empty(), Map.of()))
                .hasMessage("compliance.topics.create must be true or false, got 'yes'");
        assertThat(RunSettings.resolve(Map.of("compliance.catalog.publish", "TRUE"), Optional.empty(), Map.of()).publishCatalog()).isTrue();
    }

    private static RunSettings.Setting setting(String property) {
        return RunSettings.SETTINGS.stream().filter(s -> s.property().equals(property)).findFirst().orElseThrow();
    }
}
