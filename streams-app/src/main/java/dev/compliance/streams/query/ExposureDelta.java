package dev.compliance.streams.query;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;

/**
 * What happened on one day to one path of an org's held content ({@link ExposureKey}): items that began to
 * be held ({@code added}), items whose vendor copy is gone that day ({@code removed}), and items whose
 * worst-case date is that day ({@code worstRemoved}). Every item enters the worst case when it enters the
 * held count, so summing the days up to D gives both what is held and what may still exist at D.
 */
public record ExposureDelta(long added, long removed, long worstRemoved) {

    public static final ExposureDelta NONE = new ExposureDelta(0, 0, 0);

    public ExposureDelta plus(ExposureDelta other) {
        return new ExposureDelta(added + other.added, removed + other.removed, worstRemoved + other.worstRemoved);
    }

    /** 24 bytes: the three longs, big-endian. */
    public static Serde<ExposureDelta> serde() {
        Serializer<ExposureDelta> serializer = (topic, d) -> d == null ? null
                : ByteBuffer.allocate(24).putLong(d.added).putLong(d.removed).putLong(d.worstRemoved).array();
        Deserializer<ExposureDelta> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new ExposureDelta(b.getLong(), b.getLong(), b.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
