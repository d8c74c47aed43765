package dev.compliance.producers.feed;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.SourceException;
import dev.compliance.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How far back compliance.usage-events keeps events. The broker deletes records by their timestamp, and the sources
 * stamp each event with its eventTime (so the pipeline judges it against the policy of that time). An event older
 * than the topic's {@code retention.ms} is therefore deleted at the broker's next retention check (every 5 minutes by
 * default), perhaps before the pipeline has read it, while the feed position committed with it stays: a restart would
 * not read it again. So a feed store refuses a page holding such an event: nothing of the page is committed and the
 * source stops with a message, instead of losing the event silently.
 *
 * @param retention the topic's retention.ms; null when it keeps events forever
 * @param origin    where the value comes from, for the message
 */
public record EventRetention(Duration retention, String origin) {

    /** Time left to the pipeline to read an event before the broker may delete it. */
    public static final Duration READ_MARGIN = Duration.ofHours(1);

    /** From a retention.ms value (-1 or any negative value: forever). */
    public static EventRetention ofMillis(long retentionMs, String origin) {
        return retentionMs < 0 ? new EventRetention(null, origin) : new EventRetention(Duration.ofMillis(retentionMs), origin);
    }

    /** The retention declared in {@link Topics#USAGE_EVENTS}, for when the broker's value cannot be read. */
    public static EventRetention declared(String why) {
        String declared = Topics.USAGE_EVENTS.configs().getOrDefault(TopicConfig.RETENTION_MS_CONFIG, "-1");
        return ofMillis(Long.parseLong(declared), "the declared value (" + why + ")");
    }

    /** The oldest eventTime the topic keeps for at least {@link #READ_MARGIN} after {@code now}; empty: any. */
    public Optional<Instant> oldestKept(Instant now) {
        return retention == null ? Optional.empty() : Optional.of(now.minus(retention).plus(READ_MARGIN));
    }

    /** Throws when an event of the page is older than {@link #oldestKept(Instant)}; {@code feed} names the feed. */
    public void check(String feed, List<UsageEvent> events, Instant now) {
        Optional<Instant> oldestKept = oldestKept(now);
        if (oldestKept.isEmpty()) {
            return;
        }
        for (UsageEvent event : events) {
            if (event.getEventTime().isBefore(oldestKept.get())) {
                throw new SourceException(feed + ": event " + event.getEventId() + " of " + event.getEventTime()
                        + " is older than " + Topics.USAGE_EVENTS.name() + " keeps events (retention.ms "
                        + describe(retention) + " from " + origin + ", less " + describe(READ_MARGIN)
                        + " for the pipeline to read them): the broker would delete it, so this page was not committed;"
                        + " raise retention.ms of " + Topics.USAGE_EVENTS.name() + " or start later (--since, --starting-at)");
            }
        }
    }

    static String describe(Duration duration) {
        if (!duration.isZero() && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + (duration.toDays() == 1 ? " day" : " days");
        }
        if (!duration.isZero() && duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + (duration.toHours() == 1 ? " hour" : " hours");
        }
        return duration.toMillis() + " ms";
    }
}
