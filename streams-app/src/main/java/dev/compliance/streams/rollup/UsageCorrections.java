package dev.compliance.streams.rollup;

import dev.compliance.avro.EventSource;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import java.time.LocalDate;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What each usage-report event added to the daily rollups, so that a correction replaces it instead of being
 * counted again. The usage-report producer re-reads a trailing window and sends a bucket whose totals changed
 * again, with the same eventId and its new totals; the {@code ApiUsage} schema doc says the later event supersedes
 * the earlier one (platform.claude.com {@code api/admin/usage_report/retrieve_messages}: the report's buckets are
 * totals, and "delays may occasionally be longer" than 5 minutes, {@code build-with-claude/usage-cost-api}).
 *
 * <p>Only events of {@link EventSource#ADMIN_USAGE_REPORT} are remembered: no other source sends corrections, and
 * their rollups stay exactly as they were (one contribution per event). A contribution is kept as a
 * {@link UsageRollup} of one event (its rollup key, its request and violation counts), under
 * {@code <day>|<eventId>}, and forgotten with its day's totals when {@link DailyRollup} closes that day (the rollup
 * grace period, {@code compliance.rollup.grace.days}, 7 days by default, in event time). So an eventId is remembered
 * as long as its day can still change: a correction of a closed day is not counted at all, like any late event.
 * The producer re-reads 24 hours by default ({@code --reread}), well within that.
 */
final class UsageCorrections {

    private final KeyValueStore<String, UsageRollup> contributions;

    UsageCorrections(KeyValueStore<String, UsageRollup> contributions) {
        this.contributions = contributions;
    }

    /** True for an event that may be superseded by a later one with the same eventId. */
    static boolean supersedable(UsageEvent event) {
        return event.getSource() == EventSource.ADMIN_USAGE_REPORT;
    }

    /**
     * Remembers what {@code event} adds to the rollups and returns what the earlier event of the same eventId added
     * (to be taken back), or null when there was none.
     */
    UsageRollup replace(UsageEvent event, LocalDate day, UsageRollup contribution) {
        String key = day + "|" + event.getEventId();
        UsageRollup previous = contributions.get(key);
        contributions.put(key, contribution);
        return previous;
    }

    /** Forgets the contributions of the days before {@code boundary}, as their totals are forgotten. */
    void forgetDaysBefore(LocalDate boundary) {
        DailyRollup.deleteDaysBefore(contributions, boundary);
    }
}
