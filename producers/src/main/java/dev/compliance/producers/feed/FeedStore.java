package dev.compliance.producers.feed;

import dev.compliance.producers.sink.DeadLetter;

import dev.compliance.avro.UsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a polling source puts a page's events together with the feed position after that page, atomically: after a
 * crash the source restarts from the last committed position, so no activity is skipped and none is produced twice.
 * {@link KafkaFeedStore} does it with a Kafka transaction; {@link MemoryFeedStore} in memory.
 */
public interface FeedStore extends AutoCloseable {

    /** The compacted topic of positions. */
    String TOPIC = dev.compliance.topics.Topics.PRODUCER_OFFSETS.name();

    /** The last committed cursor of this source and org, if any. */
    Optional<String> lastCursor(String source, String orgId);

    /**
     * Stores the events and the new position, both or neither. A page with an event older than
     * {@link #oldestKept(Instant)} is refused with a {@link dev.compliance.producers.SourceException}: stored, it
     * would be deleted while its position stays (see {@link EventRetention}).
     */
    default void commit(List<UsageEvent> events, FeedPosition position) {
        commit(events, List.of(), position);
    }

    /**
     * As {@link #commit(List, FeedPosition)}, with the page's records that could not be read as dead letters for
     * compliance.dead-letter, in the same transaction: a restart neither loses nor repeats them.
     */
    void commit(List<UsageEvent> events, List<DeadLetter> refused, FeedPosition position);

    /** The oldest event time the store keeps long enough for the pipeline to read it; empty when there is no limit. */
    default Optional<Instant> oldestKept(Instant now) {
        return Optional.empty();
    }

    @Override
    void close();
}
