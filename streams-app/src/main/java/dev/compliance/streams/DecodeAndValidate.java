package dev.compliance.streams;

import dev.compliance.avro.UsageEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The first step: decode the raw bytes of a usage event (Confluent wire format, through the registry)
 * and validate it. A valid event leaves with its eventTime as record time (time is event time); a
 * record that cannot be decoded or fails validation leaves as a {@link Refused} holding the
 * original bytes and the reason, for the dead-letter topic: one bad record never stops the
 * application. The one exception is a registry outage, which is not the record's fault: it is thrown,
 * so the task is retried from its last commit (see {@link ErrorHandlers}).
 *
 * <p>Decoding here rather than in the source's deserializer keeps the dead-letter path inside the
 * topology, where it reads like the rest of the pipeline and is tested with TopologyTestDriver.
 */
public final class DecodeAndValidate implements FixedKeyProcessor<String, byte[], DecodeAndValidate.Decoded> {

    /** A decoded and valid event, or the raw bytes and why they were refused. */
    public sealed interface Decoded permits Valid, Refused {
    }

    /** A usage event that was read and passed validation; its record time is its eventTime. */
    public record Valid(UsageEvent event) implements Decoded {
    }

    /** A record refused as it arrived ({@code raw}), why, and the class that refused it (for the dead letter). */
    public record Refused(byte[] raw, String reason, String exception) implements Decoded {
    }

    private final Deserializer<UsageEvent> deserializer;
    private FixedKeyProcessorContext<String, Decoded> context;

    public DecodeAndValidate(Deserializer<UsageEvent> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        UsageEvent event;
        try {
            event = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            if (ErrorHandlers.transientOutage(e)) {
                throw e; // not the record's fault: fail the task and read the record again later
            }
            context.forward(record.withValue(new Refused(record.value(), "unreadable record: " + e.getMessage(),
                    e.getClass().getName())));
            return;
        }
        String problem = EventValidation.problem(record.key(), event);
        if (problem != null) {
            context.forward(record.withValue(new Refused(record.value(), problem, EventValidation.class.getName())));
            return;
        }
        context.forward(record.<Decoded>withValue(new Valid(event))
                .withTimestamp(event.getEventTime().toEpochMilli()));
    }
}
