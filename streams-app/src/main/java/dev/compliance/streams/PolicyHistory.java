package dev.compliance.streams;

import dev.compliance.avro.OrgPolicy;
import dev.compliance.avro.UsageEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every version of one org's policy, oldest first, each from its time ({@code effectiveFrom}; a tombstone retires
 * the org from the record's time): the value of the {@link #STORE} store, keyed by orgId. {@link #at} answers "the
 * version in force at this event time", which is what the pipeline joins each event with.
 *
 * <p>Why not a Kafka Streams versioned store: in Kafka Streams 4.3.1 a {@code RocksDBVersionedStore} that is reopened
 * from local state (after a clean stop, or a task closed cleanly and assigned again) does not find its older
 * versions: {@code LogicalKeyValueSegments.openExisting} opens the RocksDB instance but registers none of the
 * segments that hold history, so {@code get(key, asOf)} finds only the latest version until a new write touches
 * that segment. Events between two versions were then judged with no policy at all (ProofsIT's clean-restart and
 * broker-restart proofs showed it). One plain key-value entry per org, holding its whole history, restores and
 * reopens like any other store; an org changes its policy a few times a year, so the entry stays small.
 */
public final class PolicyHistory {

    /** The store: orgId to its policy history; its changelog is compacted (the latest entry holds all versions). */
    public static final String STORE = "org-policy-history";

    private final List<Version> versions;

    /** One version: in force from {@code from} (epoch ms) until the next one; a null policy retires the org. */
    public record Version(long from, OrgPolicy policy) {
    }

    private PolicyHistory(List<Version> versions) {
        this.versions = versions;
    }

    public static PolicyHistory empty() {
        return new PolicyHistory(List.of());
    }

    public List<Version> versions() {
        return versions;
    }

    /** The version in force at {@code time} (epoch ms): the latest one from at or before it; null if none or retired. */
    public OrgPolicy at(long time) {
        OrgPolicy inForce = null;
        for (Version v : versions) {
            if (v.from() > time) {
                break;
            }
            inForce = v.policy();
        }
        return inForce;
    }

    /**
     * This history with {@code policy} in force from {@code from} (a version with the same time is replaced), less
     * the versions that ended more than {@code keep} before the newest one began: the same horizon as the policy
     * topic's retention.
     */
    public PolicyHistory with(long from, OrgPolicy policy, Duration keep) {
        List<Version> next = new ArrayList<>(versions.size() + 1);
        boolean placed = false;
        for (Version v : versions) {
            if (!placed && v.from() >= from) {
                next.add(new Version(from, policy));
                placed = true;
                if (v.from() == from) {
                    continue;
                }
            }
            next.add(v);
        }
        if (!placed) {
            next.add(new Version(from, policy));
        }
        long horizon = next.get(next.size() - 1).from() - keep.toMillis();
        while (next.size() > 1 && next.get(1).from() < horizon) {
            next.remove(0); // its successor began before the horizon: it ended before it
        }
        return new PolicyHistory(Collections.unmodifiableList(next));
    }

    /** A serde for the history: per version its time, then the policy's bytes in {@code policies}' format (-1: retired). */
    public static Serde<PolicyHistory> serde(Serde<OrgPolicy> policies) {
        Serializer<OrgPolicy> out = policies.serializer();
        Deserializer<OrgPolicy> in = policies.deserializer();
        Serializer<PolicyHistory> serializer = (topic, history) -> {
            if (history == null) {
                return null;
            }
            List<byte[]> encoded = new ArrayList<>(history.versions.size());
            int size = Integer.BYTES;
            for (Version v : history.versions) {
                byte[] bytes = v.policy() == null ? null : out.serialize(topic, v.policy());
                encoded.add(bytes);
                size += Long.BYTES + Integer.BYTES + (bytes == null ? 0 : bytes.length);
            }
            ByteBuffer buffer = ByteBuffer.allocate(size).putInt(history.versions.size());
            for (int i = 0; i < encoded.size(); i++) {
                byte[] bytes = encoded.get(i);
                buffer.putLong(history.versions.get(i).from()).putInt(bytes == null ? -1 : bytes.length);
                if (bytes != null) {
                    buffer.put(bytes);
                }
            }
            return buffer.array();
        };
        Deserializer<PolicyHistory> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(data);
            int count = buffer.getInt();
            List<Version> versions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long from = buffer.getLong();
                int length = buffer.getInt();
                OrgPolicy policy = null;
                if (length >= 0) {
                    byte[] bytes = new byte[length];
                    buffer.get(bytes);
                    policy = in.deserialize(topic, bytes);
                }
                versions.add(new Version(from, policy));
            }
            return new PolicyHistory(Collections.unmodifiableList(versions));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The step that keeps each valid policy record (record time = effectiveFrom) in its org's history. */
    static final class Keep implements Processor<String, OrgPolicy, Void, Void> {
        private final Duration keep;
        private KeyValueStore<String, PolicyHistory> store;

        Keep(Duration keep) {
            this.keep = keep;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, OrgPolicy> record) {
            if (record.key() == null) {
                return; // the policy topic's key is the orgId; a keyless record names no org (its value is checked upstream)
            }
            PolicyHistory history = store.get(record.key());
            store.put(record.key(), (history == null ? empty() : history).with(record.timestamp(), record.value(), keep));
        }
    }

    /** The step that pairs each event with its org's policy in force at the event's time (null: none). */
    static final class InForce<R> implements FixedKeyProcessor<String, UsageEvent, R> {
        private final java.util.function.BiFunction<UsageEvent, OrgPolicy, R> pair;
        private FixedKeyProcessorContext<String, R> context;
        private KeyValueStore<String, PolicyHistory> store;

        InForce(java.util.function.BiFunction<UsageEvent, OrgPolicy, R> pair) {
            this.pair = pair;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, R> context) {
            this.context = context;
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, UsageEvent> record) {
            PolicyHistory history = record.key() == null ? null : store.get(record.key());
            OrgPolicy policy = history == null ? null : history.at(record.timestamp());
            context.forward(record.withValue(pair.apply(record.value(), policy)));
        }
    }
}
