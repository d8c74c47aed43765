package dev.compliance.streams.query;

import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.UsageRollup;
import dev.compliance.avro.Violation;
import dev.compliance.streams.rollup.RollupKey;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers questions from the stores this instance holds (Kafka Streams interactive queries, or a
 * TopologyTestDriver's stores in tests): what an org's content the vendor holds as of a day, its expiry
 * schedule and five-year exposure ({@link RetentionExposure}), its violation counts by code x day
 * ({@link RollupsByOrg}), the orgs, and the most recent violations ({@link RecentViolations}). Which instance
 * holds an org is the caller's business (the API finds the owner and forwards).
 */
public final class LedgerQueries {

    /** The stores by name: {@code streams.store(...)} on a running app, {@code driver::getKeyValueStore} in tests. */
    public interface Stores {
        <K, V> ReadOnlyKeyValueStore<K, V> store(String name);
    }

    static final int DAYS_BY_DAY = 31;
    static final int WEEKS_BY_WEEK = 26;
    static final int EXPOSURE_MONTHS = 60;

    private final Stores stores;

    public LedgerQueries(Stores stores) {
        this.stores = stores;
    }

    /** Every org this instance holds, sorted by id. */
    public List<LedgerAnswers.Org> orgs() {
        List<LedgerAnswers.Org> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, Long> orgs = stores.store(RetentionExposure.ORGS_STORE);
        try (KeyValueIterator<String, Long> it = orgs.all()) {
            it.forEachRemaining(kv -> out.add(new LedgerAnswers.Org(kv.key, Instant.ofEpochMilli(kv.value).toString())));
        }
        out.sort(Comparator.comparing(LedgerAnswers.Org::orgId));
        return out;
    }

    /** True if this instance has seen the org. */
    public boolean knows(String orgId) {
        return stores.<String, Long>store(RetentionExposure.ORGS_STORE).get(orgId) != null;
    }

    /** An org's retention as of the end of day {@code at}. */
    public LedgerAnswers.Retention retention(String orgId, LocalDate at) {
        List<KeyValue<ExposureKey, ExposureDelta>> entries = exposureOf(orgId);
        Map<LedgerAnswers.Held, Long> heldByPath = new LinkedHashMap<>();
        Map<String, Long> untilDeletedByFeature = new TreeMap<>();
        long worst = 0;
        long undated = 0;
        LocalDate horizon = null;
        TreeMap<LocalDate, Map<RetentionKind, Long>> goingByDay = new TreeMap<>();
        for (KeyValue<ExposureKey, ExposureDelta> e : entries) {
            ExposureKey k = e.key;
            ExposureDelta d = e.value;
            if (!k.day().isAfter(at)) {
                long held = d.added() - d.removed();
                LedgerAnswers.Held path = new LedgerAnswers.Held(k.kind().name(), k.plan().name(), k.feature().name(),
                        k.effectiveClass() == null ? null : k.effectiveClass().name(), 0);
                heldByPath.merge(path, held, Long::sum);
                worst += d.added() - d.worstRemoved();
                if (!k.dated()) {
                    undated += held;
                    if (k.kind() == RetentionKind.UNTIL_DELETED) {
                        untilDeletedByFeature.merge(k.feature().name(), held, Long::sum);
                    }
                }
            } else {
                if (k.dated() && d.removed() != 0) {
                    goingByDay.computeIfAbsent(k.day(), x -> new EnumMap<>(RetentionKind.class)).merge(k.kind(), d.removed(), Long::sum);
                }
                if (d.worstRemoved() != 0 && (horizon == null || k.day().isAfter(horizon))) {
                    horizon = k.day();
                }
            }
        }
        List<LedgerAnswers.Held> held = new ArrayList<>();
        Map<String, Long> heldByKind = new TreeMap<>();
        long total = 0;
        for (var path : heldByPath.entrySet()) {
            if (path.getValue() != 0) {
                var h = path.getKey();
                held.add(new LedgerAnswers.Held(h.kind(), h.plan(), h.feature(), h.effectiveClass(), path.getValue()));
                heldByKind.merge(h.kind(), path.getValue(), Long::sum);
                total += path.getValue();
            }
        }
        held.sort(Comparator.comparing(LedgerAnswers.Held::count).reversed()
                .thenComparing(h -> h.kind() + h.plan() + h.feature() + h.effectiveClass()));
        untilDeletedByFeature.values().removeIf(v -> v == 0);
        String horizonText = undated > 0 ? "indefinite" : worst > 0 && horizon != null ? horizon.toString() : null;
        long untilDeletedCount = untilDeletedByFeature.values().stream().mapToLong(Long::longValue).sum();
        var untilDeleted = new LedgerAnswers.UntilDeleted(untilDeletedCount,
                untilDeletedCount > 0 ? oldestUntilDeleted(orgId, at).map(LocalDate::toString).orElse(null) : null,
                untilDeletedByFeature);
        return new LedgerAnswers.Retention(orgId, at.toString(), total, heldByKind, held, worst, horizonText,
                untilDeleted, schedule(at, goingByDay), exposure(at, entries));
    }

    /** An org's violation counts by code x day, for the days in [from, to], newest first. */
    public LedgerAnswers.Violations violations(String orgId, LocalDate from, LocalDate to) {
        TreeMap<LocalDate, Map<String, Long>> byDay = new TreeMap<>(Comparator.reverseOrder());
        ReadOnlyKeyValueStore<String, UsageRollup> rollups = stores.store(RollupsByOrg.STORE);
        try (KeyValueIterator<String, UsageRollup> it = rollups.prefixScan(orgId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, UsageRollup> kv = it.next();
                RollupKey k = RollupKey.parse(kv.key);
                if (k.orgId().equals(orgId) && !k.day().isBefore(from) && !k.day().isAfter(to)) {
                    Map<String, Long> codes = byDay.computeIfAbsent(k.day(), x -> new TreeMap<>());
                    kv.value.getViolationsByCode().forEach((code, n) -> codes.merge(code, n, Long::sum));
                }
            }
        }
        Map<String, Long> byCode = new TreeMap<>();
        List<LedgerAnswers.Day> days = new ArrayList<>();
        long total = 0;
        for (var day : byDay.entrySet()) {
            long dayTotal = day.getValue().values().stream().mapToLong(Long::longValue).sum();
            day.getValue().forEach((code, n) -> byCode.merge(code, n, Long::sum));
            days.add(new LedgerAnswers.Day(day.getKey().toString(), dayTotal, day.getValue()));
            total += dayTotal;
        }
        return new LedgerAnswers.Violations(orgId, from.toString(), to.toString(), total, byCode, days);
    }

    /** The most recent violations this instance holds, newest event first, at most {@code limit}. */
    public List<LedgerAnswers.Recent> recent(int limit) {
        List<Violation> all = new ArrayList<>();
        ReadOnlyKeyValueStore<Long, Violation> recent = stores.store(RecentViolations.STORE);
        try (KeyValueIterator<Long, Violation> it = recent.all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        return all.stream()
                .sorted(Comparator.comparing(Violation::getEventTime).reversed().thenComparing(Violation::getViolationId))
                .limit(limit)
                .map(LedgerQueries::recentOf)
                .toList();
    }

    /** The feed's shape of a violation. */
    public static LedgerAnswers.Recent recentOf(Violation v) {
        return new LedgerAnswers.Recent(v.getViolationId(), v.getEventTime().toString(), v.getSeverity().name(),
                v.getCode().name(), v.getOrgId(), v.getUserId(), v.getDeviceId(), v.getPlan().name(), v.getFeature().name(),
                v.getEffectiveClass().name(), v.getMessage(), List.copyOf(v.getCitations()));
    }

    private List<KeyValue<ExposureKey, ExposureDelta>> exposureOf(String orgId) {
        List<KeyValue<ExposureKey, ExposureDelta>> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, ExposureDelta> exposure = stores.store(RetentionExposure.STORE);
        try (KeyValueIterator<String, ExposureDelta> it = exposure.prefixScan(orgId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, ExposureDelta> kv = it.next();
                ExposureKey k = ExposureKey.parse(kv.key);
                if (k.orgId().equals(orgId)) {
                    out.add(KeyValue.pair(k, kv.value));
                }
            }
        }
        out.sort(Comparator.comparing(kv -> kv.key.day()));
        return out;
    }

    private Optional<LocalDate> oldestUntilDeleted(String orgId, LocalDate at) {
        ReadOnlyKeyValueStore<String, Long> held = stores.store(RetentionExposure.UNTIL_DELETED_STORE);
        LocalDate oldest = null;
        try (KeyValueIterator<String, Long> it = held.prefixScan(orgId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                RollupKey k = RollupKey.parse(it.next().key);
                if (k.orgId().equals(orgId) && (oldest == null || k.day().isBefore(oldest))) {
                    oldest = k.day();
                }
            }
        }
        return Optional.ofNullable(oldest).filter(day -> !day.isAfter(at));
    }

    /** Groups the days after {@code at}: 31 single days, 26 weeks of 7 days, then calendar months. */
    static List<LedgerAnswers.Period> schedule(LocalDate at, TreeMap<LocalDate, Map<RetentionKind, Long>> goingByDay) {
        Map<LocalDate, LedgerAnswers.Period> periods = new LinkedHashMap<>();
        LocalDate weeksFrom = at.plusDays(DAYS_BY_DAY + 1);
        LocalDate monthsFrom = weeksFrom.plusWeeks(WEEKS_BY_WEEK);
        for (var day : goingByDay.entrySet()) {
            LocalDate d = day.getKey();
            LocalDate from;
            LocalDate to;
            String unit;
            if (d.isBefore(weeksFrom)) {
                from = d;
                to = d;
                unit = "day";
            } else if (d.isBefore(monthsFrom)) {
                from = weeksFrom.plusWeeks(ChronoUnit.WEEKS.between(weeksFrom, d));
                to = from.plusDays(6);
                unit = "week";
            } else {
                LocalDate first = d.withDayOfMonth(1);
                from = first.isBefore(monthsFrom) ? monthsFrom : first;
                to = d.with(TemporalAdjusters.lastDayOfMonth());
                unit = "month";
            }
            LedgerAnswers.Period p = periods.computeIfAbsent(from, x -> new LedgerAnswers.Period(x.toString(), to.toString(),
                    unit, 0, new TreeMap<>()));
            long n = 0;
            for (var kind : day.getValue().entrySet()) {
                p.byKind().merge(kind.getKey().name(), kind.getValue(), Long::sum);
                n += kind.getValue();
            }
            periods.put(from, new LedgerAnswers.Period(p.from(), p.to(), p.unit(), p.count() + n, p.byKind()));
        }
        return List.copyOf(periods.values());
    }

    /** Held by kind and worst case at {@code at} and at each of the next 60 months. */
    private static List<LedgerAnswers.ExposurePoint> exposure(LocalDate at, List<KeyValue<ExposureKey, ExposureDelta>> byDay) {
        List<LedgerAnswers.ExposurePoint> points = new ArrayList<>();
        EnumMap<RetentionKind, Long> held = new EnumMap<>(RetentionKind.class);
        long worst = 0;
        int next = 0;
        for (int month = 0; month <= EXPOSURE_MONTHS; month++) {
            LocalDate point = at.plusMonths(month);
            while (next < byDay.size() && !byDay.get(next).key.day().isAfter(point)) {
                var e = byDay.get(next++);
                held.merge(e.key.kind(), e.value.added() - e.value.removed(), Long::sum);
                worst += e.value.added() - e.value.worstRemoved();
            }
            Map<String, Long> kinds = new TreeMap<>();
            held.forEach((kind, n) -> kinds.put(kind.name(), n));
            points.add(new LedgerAnswers.ExposurePoint(point.toString(), kinds, worst));
        }
        return points;
    }
}
