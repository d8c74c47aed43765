package dev.compliance.producers.feed;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.sink.DeadLetter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps events and positions in memory (dry runs and tests); a commit is atomic because it is one method. */
public class MemoryFeedStore implements FeedStore {

    private final List<UsageEvent> events = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<String, String> cursors = new HashMap<>();
    private int commits;

    @Override
    public synchronized Optional<String> lastCursor(String source, String orgId) {
        return Optional.ofNullable(cursors.get(FeedPosition.key(source, orgId)));
    }

    @Override
    public synchronized void commit(List<UsageEvent> newEvents, List<DeadLetter> refused, FeedPosition position) {
        events.addAll(newEvents);
        deadLetters.addAll(refused);
        cursors.put(position.key(), position.cursor());
        commits++;
    }

    public synchronized List<UsageEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    public synchronized int commits() {
        return commits;
    }

    @Override
    public void close() {
    }
}
