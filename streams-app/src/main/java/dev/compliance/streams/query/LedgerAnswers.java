package dev.compliance.streams.query;

import java.util.List;
import java.util.Map;

/**
 * The answers of {@link LedgerQueries}, as the REST API serves them (JSON via Jackson: every field is a
 * string, a number, a list or a map; days are ISO dates, UTC).
 */
public final class LedgerAnswers {

    private LedgerAnswers() {
    }

    /** One org as the org list shows it. */
    public record Org(String orgId, String lastEventAt) {
    }

    /**
     * What the vendor holds of an org's content at the end of day {@code at}, and when it goes.
     *
     * @param held              non-zero counts by kind x plan x feature x effective class (class null: a DELETE
     *                          of content whose use the pipeline never saw)
     * @param worstCaseHeld     items of which a copy may still exist at {@code at} (usage-policy hold, feedback)
     * @param worstCaseHorizon  the last day a copy may survive; "indefinite" while undated content is held;
     *                          null when nothing is held
     * @param schedule          items going after {@code at}: per day for 31 days, per 7 days for 26 weeks, then
     *                          per calendar month; only periods with items
     * @param exposure          held by kind and worst case, at {@code at} and every month after for five years
     */
    public record Retention(String orgId, String at, long heldTotal, Map<String, Long> heldByKind, List<Held> held,
                            long worstCaseHeld, String worstCaseHorizon, UntilDeleted untilDeleted,
                            List<Period> schedule, List<ExposurePoint> exposure) {
    }

    /** A count of held items on one path. */
    public record Held(String kind, String plan, String feature, String effectiveClass, long count) {
    }

    /**
     * Content kept until someone deletes it (no date yet). {@code oldest}: the day of use of the oldest such
     * item, known only for {@code at} today or later (a past day's oldest may since have been deleted).
     */
    public record UntilDeleted(long count, String oldest, Map<String, Long> byFeature) {
    }

    /** Items whose vendor copy goes in [from, to]. unit: day, week or month. */
    public record Period(String from, String to, String unit, long count, Map<String, Long> byKind) {
    }

    /** Held items at the end of one day, by kind, and the worst case. */
    public record ExposurePoint(String day, Map<String, Long> byKind, long worstCase) {
    }

    /** Violation counts of an org by code x day, from the daily rollups (USE events). */
    public record Violations(String orgId, String from, String to, long violationCount, Map<String, Long> byCode, List<Day> days) {
    }

    /** One day's violation counts, by code. */
    public record Day(String day, long total, Map<String, Long> byCode) {
    }

    /** One violation of the live feed. */
    public record Recent(String violationId, String eventTime, String severity, String code, String orgId, String userId,
                         String deviceId, String plan, String feature, String effectiveClass, String message,
                         List<String> citations) {
    }
}
