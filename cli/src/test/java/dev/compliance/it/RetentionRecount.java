package dev.compliance.it;

import dev.compliance.avro.Action;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.RetentionKind;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A brute-force recount of {@code compliance.retention}: one object per SCHEDULED record, kept in a list per
 * org, and a day's answer counted by looking at every item. The API keeps day-by-day sums instead; the two
 * must agree. The rules are the API's, stated per item: an item is held from the day of its event up to, not
 * including, the day of its expiresAt (no expiresAt: no end); it may still exist up to the day of its
 * worstCaseExpiresAt (an undated item: as long as it is held, whatever its worstCaseExpiresAt). A DELETE ends the oldest undated UNTIL_DELETED item of its org x plan x feature used on or
 * before its day (oldest day of use, then class by name) on its own day and is itself a dated item of that item's class (none when
 * no such item was held).
 */
final class RetentionRecount {

    /** One scheduled item. {@code released}: the day a DELETE ended it (undated items only). */
    static final class Item {
        final String kind, plan, feature, dataClass;
        final LocalDate start, end, worstEnd;
        final boolean undatedUntilDeleted;
        LocalDate released;

        Item(String kind, String plan, String feature, String dataClass, LocalDate start, LocalDate end, LocalDate worstEnd) {
            this.kind = kind;
            this.plan = plan;
            this.feature = feature;
            this.dataClass = dataClass;
            this.start = start;
            this.end = end;
            this.worstEnd = worstEnd;
            this.undatedUntilDeleted = end == null && kind.equals(RetentionKind.UNTIL_DELETED.name());
        }

        boolean heldAt(LocalDate day) {
            LocalDate until = released != null ? released : end;
            return !start.isAfter(day) && (until == null || day.isBefore(until));
        }

        boolean mayExistAt(LocalDate day) {
            // an undated item (kept until deleted, or as the platform decides) is held, so it may exist, until it is
            // released; its worstCaseExpiresAt (the training hold, POLICY.md v2) does not end what is still held
            LocalDate until = released != null ? released : end == null ? null : worstEnd;
            return !start.isAfter(day) && (until == null || day.isBefore(until));
        }
    }

    /** What the API says of a day, recounted. */
    record Answer(long heldTotal, Map<String, Long> rows, long worstCaseHeld, long untilDeleted, long going) {
    }

    final Map<String, List<Item>> byOrg = new TreeMap<>();

    RetentionRecount(List<RetentionEvent> topic) {
        for (RetentionEvent r : topic) {
            if (r.getType() != RetentionEventType.SCHEDULED) {
                continue;
            }
            List<Item> items = byOrg.computeIfAbsent(r.getOrgId(), k -> new ArrayList<>());
            LocalDate day = day(r.getEventTime());
            String dataClass = r.getEffectiveClass() == null ? null : r.getEffectiveClass().name();
            if (r.getTrigger() == Action.DELETE) {
                Item oldest = items.stream()
                        .filter(i -> i.undatedUntilDeleted && i.released == null && !i.start.isAfter(day)
                                && i.plan.equals(r.getPlan().name()) && i.feature.equals(r.getFeature().name()))
                        .min(Comparator.comparing((Item i) -> i.start).thenComparing(i -> i.dataClass))
                        .orElse(null);
                if (oldest != null) {
                    oldest.released = day;
                    dataClass = oldest.dataClass;
                }
            }
            items.add(new Item(r.getKind().name(), r.getPlan().name(), r.getFeature().name(), dataClass, day,
                    r.getExpiresAt() == null ? null : day(r.getExpiresAt()),
                    r.getWorstCaseExpiresAt() == null ? null : day(r.getWorstCaseExpiresAt())));
        }
    }

    Answer at(String org, LocalDate day) {
        Map<String, Long> rows = new LinkedHashMap<>();
        long held = 0, worst = 0, untilDeleted = 0, going = 0;
        for (Item i : byOrg.getOrDefault(org, List.of())) {
            if (i.heldAt(day)) {
                held++;
                rows.merge(i.kind + "/" + i.plan + "/" + i.feature + "/" + i.dataClass, 1L, Long::sum);
                if (i.undatedUntilDeleted) {
                    untilDeleted++;
                }
            }
            if (i.mayExistAt(day)) {
                worst++;
            }
            if (i.end != null && i.end.isAfter(day)) {
                going++;
            }
        }
        return new Answer(held, rows, worst, untilDeleted, going);
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
