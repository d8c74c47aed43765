package dev.compliance.producers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compliance.avro.UsageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Searches bytes for text that was planted in a source and must never leave the producer. */
public final class PlantedText {

    private PlantedText() {
    }

    /** The bytes of an event as they go to Kafka (the value's Avro binary encoding). */
    public static byte[] serialized(UsageEvent event) {
        try {
            ByteBuffer buffer = event.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
