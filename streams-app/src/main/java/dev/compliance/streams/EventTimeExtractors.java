package dev.compliance.streams;

import dev.compliance.avro.OrgPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Time is event time. An org policy's record time is its effectiveFrom, so the versioned org-policy
 * table is indexed by it; a usage event's record time is set to its eventTime by
 * {@link DecodeAndValidate}, so the join looks up the version in force at the event's time, however
 * late the event arrives.
 */
public final class EventTimeExtractors {

    private EventTimeExtractors() {
    }

    public static final class PolicyEffectiveFrom implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.value() instanceof OrgPolicy p && p.getEffectiveFrom() != null) {
                return p.getEffectiveFrom().toEpochMilli();
            }
            return Math.max(record.timestamp(), 0); // a tombstone: the org's record ends at the record time
        }
    }
}
