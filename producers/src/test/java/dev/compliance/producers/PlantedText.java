package dev.compliance.producers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compliance.avro.UsageEvent;
import dev.compliance.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/** Searches bytes for text that was planted in a source and must never leave the producer. */
public final class PlantedText {

    private PlantedText() {
    }

    private static final Serializer<UsageEvent> SERIALIZER =
            Topics.USAGE_EVENTS.valueSerde(Map.of("schema.registry.url", "mock://planted-text")).serializer();

    /** The bytes of an event as they go to Kafka: the project's serializer (Confluent wire format, Avro binary). */
    public static byte[] serialized(UsageEvent event) {
        return SERIALIZER.serialize(Topics.USAGE_EVENTS.name(), event);
    }

    public static void assertAbsent(Collection<UsageEvent> events, String... planted) {
        for (UsageEvent event : events) {
            assertAbsent(serialized(event), planted);
            assertAbsent(event.getOrgId().getBytes(StandardCharsets.UTF_8), planted);
        }
    }

    public static void assertAbsent(byte[] bytes, String... planted) {
        for (String text : planted) {
            byte[] needle = text.getBytes(StandardCharsets.UTF_8);
            assertThat(indexOf(bytes, needle)).as("planted text '%s' found in produced bytes", text).isEqualTo(-1);
        }
    }

    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
