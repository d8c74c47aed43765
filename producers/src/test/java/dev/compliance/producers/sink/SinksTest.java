package dev.compliance.producers.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.PlantedText;
import dev.compliance.producers.RecordSink;
import dev.compliance.producers.SourceException;
import dev.compliance.producers.generator.GeneratorConfig;
import dev.compliance.producers.generator.UsageEventGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinksTest {

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> Sinks.usageEvents(Map.of("schema.registry.url", "mock://sinks")))
                .isInstanceOf(SourceException.class)
                .hasMessage("no Kafka bootstrap servers given (bootstrap.servers)");
        assertThatThrownBy(() -> Sinks.usageEvents(Map.of("bootstrap.servers", "127.0.0.1:1")))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot set up the Avro serializer for compliance.usage-events: ");
    }

    @Test
    void anUnreachableBrokerGivesAOneLineMessage() {
        Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", "mock://sinks",
                "max.block.ms", 300);
        UsageEvent event = new UsageEventGenerator(GeneratorConfig.defaults(1)).next();
        try (RecordSink<UsageEvent> sink = Sinks.usageEvents(config)) {
            assertThatThrownBy(() -> {
                sink.send(event);
                sink.flush();
            })
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("sending to compliance.usage-events at 127.0.0.1:1 failed: ")
                    .hasMessageContaining("300 ms")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void onlyProducerPropertiesReachTheProducer() {
        Map<String, Object> producer = Sinks.producerConfig(Map.of("bootstrap.servers", "b:9092",
                "schema.registry.url", "http://r", "security.protocol", "SSL", "basic.auth.user.info", "u:p"));
        assertThat(producer).containsOnlyKeys("bootstrap.servers", "security.protocol");
    }

    @Test
    void thePlantedTextSearchFindsWhatIsThere() {
        UsageEvent event = new UsageEventGenerator(GeneratorConfig.defaults(1)).next();
        event.setSessionId("session-with-PLANTED-marker");
        byte[] bytes = PlantedText.serialized(event);
        assertThat(PlantedText.indexOf(bytes, "PLANTED-marker".getBytes(StandardCharsets.UTF_8))).isPositive();
        assertThatThrownBy(() -> PlantedText.assertAbsent(bytes, "PLANTED-marker")).isInstanceOf(AssertionError.class);
        PlantedText.assertAbsent(bytes, "not-there");
    }
}
