package dev.compliance.streams.query;

import dev.compliance.avro.Violation;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The most recent violations, for the live feed: the last {@value #CAPACITY} violations each task saw, in
 * arrival order, keyed by a sequence number (an older one is deleted as a newer one comes). Bounded:
 * partitions x {@value #CAPACITY}. The API merges the tasks' lists by event time.
 */
public final class RecentViolations implements Processor<String, Violation, Void, Void> {

    public static final String STORE = "recent-violations";
    public static final int CAPACITY = 1000;

    private KeyValueStore<Long, Violation> recent;
    private long next;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        recent = context.getStateStore(STORE);
        try (KeyValueIterator<Long, Violation> it = recent.reverseAll()) {
            next = it.hasNext() ? it.next().key + 1 : 0;
        }
    }

    @Override
    public void process(Record<String, Violation> record) {
        recent.put(next, record.value());
        recent.delete(next - CAPACITY);
        next++;
    }
}
