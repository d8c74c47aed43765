package dev.compliance.producers.feed;

import dev.compliance.avro.UsageEvent;
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

    /** Stores the events and the new position, both or neither. */
    void commit(List<UsageEvent> events, FeedPosition position);

    @Override
    void close();
}
