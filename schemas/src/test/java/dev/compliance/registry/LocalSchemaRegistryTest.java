package dev.compliance.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSchemaRegistryTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(LocalSchemaRegistry.HOME_PROPERTY);
    }

    @Test
    void aHomeWithoutTheRunnerJarSaysHowToFetchTheDistribution(@TempDir Path empty) {
        System.setProperty(LocalSchemaRegistry.HOME_PROPERTY, empty.toString());

        assertThatThrownBy(LocalSchemaRegistry::locateDistribution)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(empty.toString())
            .hasMessageContaining("mvn -B dependency:get -Dartifact=io.apicurio:apicurio-registry-app:2.6.13.Final:tar.gz:all");
    }
}
