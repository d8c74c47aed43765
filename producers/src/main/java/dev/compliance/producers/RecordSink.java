package dev.compliance.producers;

/**
 * Where a source puts the records it made. The Kafka implementation is {@link dev.compliance.producers.sink.KafkaRecordSink};
 * tests use an in-memory list. A sink for usage events is a {@code RecordSink<UsageEvent>}.
 */
public interface RecordSink<T> extends AutoCloseable {

    /** Hands one record over; it may be sent later, {@link #flush()} waits until everything handed over is acknowledged. */
    void send(T record);

    /** Blocks until every record sent so far is acknowledged, or throws {@link SourceException} when one failed. */
    void flush();

    @Override
    void close();
}
