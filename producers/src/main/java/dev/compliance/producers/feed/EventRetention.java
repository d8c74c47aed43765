package dev.compliance.producers.feed;

import dev.compliance.avro.UsageEvent;
import dev.compliance.producers.SourceException;
import dev.compliance.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How far back compliance.usage-events keeps events. The broker deletes records older than the topic's
 * {@code retention.ms} by their timestamp. As declared, the topic stamps records with the time they were written
 * (LogAppendTime), so any event is kept for the whole retention. A topic created otherwise (CreateTime: an older
 * version, by hand; existing topics keep their configs) keeps the timestamp the sources send, the event's eventTime:
 * an event older than the retention is then deleted at the broker's next retention check (every 5 minutes by
 * default), perhaps before the pipeline has read it, while the feed position committed with it stays, and a restart
 * would not read it again. A feed store therefore refuses a page holding such an event: nothing of the page is
 * committed and the source stops with a message, instead of losing the event silently.
 *
 * @param retention how long an event is kept counted from its eventTime; null when that is no limit
 * @param origin    where the topic's configs come from, for the message
 */
public record EventRetention(Duration retention, String origin) {

    /** Time left to the pipeline to read an event before the broker may delete it. */
    public static final Duration READ_MARGIN = Duration.ofHours(1);

    /** From the topic's configs retention.ms (negative: forever) and message.timestamp.type (CreateTime if absent). */
    public static EventRetention of(Map<String, String> configs, String origin) {
        long retentionMs = Long.parseLong(configs.getOrDefault(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        boolean eventTimestamps = !"LogAppendTime".equals(configs.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG));
        return new EventRetention(eventTimestamps && retentionMs >= 0 ? Duration.ofMillis(retentionMs) : null, origin);
    }

    /** The configs declared in {@link Topics#USAGE_EVENTS}, for when the broker's cannot be read. */
    public static EventRetention declared(String why) {
        return of(Topics.USAGE_EVENTS.configs(), "the declared configs (" + why + ")");
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
        String topic = Topics.USAGE_EVENTS.name();
        for (UsageEvent event : events) {
            if (event.getEventTime().isBefore(oldestKept.get())) {
                throw new SourceException(feed + ": event " + event.getEventId() + " of " + event.getEventTime()
                        + " is older than " + topic + " keeps events (retention.ms " + describe(retention)
                        + " on CreateTime timestamps, from " + origin + ", less " + describe(READ_MARGIN)
                        + " for the pipeline to read them): the broker would delete it, so this page was not committed;"
                        + " set message.timestamp.type=LogAppendTime on " + topic + " (as declared), raise its"
                        + " retention.ms, or start later (--since, --starting-at)");
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
