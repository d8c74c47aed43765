package dev.compliance.streams.rollup;

import dev.compliance.avro.Action;
import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.avro.Violation;
import dev.compliance.streams.Evaluation;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Daily usage per org x plan x feature x effective data class, with violation counts. No user id.
 *
 * <p>The input is keyed by orgId, so every rollup key of an org lives in the same task: no repartition.
 * Each USE event updates its day's total and forwards it; the output topic is compacted, so the latest
 * record per key is the day's running total.
 *
 * <p>Lateness is measured in event time: the task keeps the latest eventTime it has seen (its
 * watermark). Once a minute, days more than the grace period behind the watermark are closed: their
 * totals stand on the output topic and their state is forgotten, which keeps the store bounded. An
 * event of a closed day is not counted in rollups (it still raises its violations and retention
 * records, which do not depend on this state): a published total never goes backwards. The boundary
 * and the watermark are kept in a second store, so a restart neither reopens a closed day nor forgets
 * how far event time had come. (Kafka Streams' own stream time follows the records' producer
 * timestamps, not eventTime, which is why the watermark is ours.)
 *
 * <p>A usage-report correction (the same eventId again, with new totals) supersedes its earlier event: what that
 * event added is taken back before the correction is added, so a corrected bucket counts once
 * ({@link UsageCorrections}, a third store, forgotten with the days it belongs to).
 */
public final class DailyRollup implements Processor<String, Evaluation, String, UsageRollup> {

    public static final String STORE = "daily-rollups";
    public static final String PROGRESS_STORE = "daily-rollups-progress";
    public static final String CORRECTIONS_STORE = "daily-rollups-usage-corrections";
    private static final String WATERMARK = "watermark";
    private static final String CLOSED_BEFORE = "closed-before-epoch-day";

    private final Duration grace;
    private ProcessorContext<String, UsageRollup> context;
    private KeyValueStore<String, UsageRollup> totals;
    private KeyValueStore<String, Long> progress;
    private UsageCorrections corrections;
    private long watermark;
    private long closedBeforeEpochDay;

    public DailyRollup(Duration grace) {
        this.grace = grace;
    }

    @Override
    public void init(ProcessorContext<String, UsageRollup> context) {
        this.context = context;
        this.totals = context.getStateStore(STORE);
        this.progress = context.getStateStore(PROGRESS_STORE);
        this.corrections = new UsageCorrections(context.getStateStore(CORRECTIONS_STORE));
        Long w = progress.get(WATERMARK);
        Long c = progress.get(CLOSED_BEFORE);
        watermark = w == null ? Long.MIN_VALUE : w;
        closedBeforeEpochDay = c == null ? Long.MIN_VALUE : c;
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, now -> closeDaysBeyondGrace());
    }

    @Override
    public void process(Record<String, Evaluation> record) {
        UsageEvent e = record.value().context().event();
        if (e.getAction() != Action.USE) {
            return;
        }
        watermark = Math.max(watermark, e.getEventTime().toEpochMilli());
        LocalDate day = LocalDate.ofInstant(e.getEventTime(), ZoneOffset.UTC);
        if (day.toEpochDay() < closedBeforeEpochDay) {
            return; // later than the grace period: see the class comment
        }
        var dataClass = record.value().context().effectiveClass();
        String storeKey = storeKey(new RollupKey(e.getOrgId(), day, e.getPlan(), e.getFeature(), dataClass));
        if (UsageCorrections.supersedable(e)) {
            supersedeEarlierEvent(record, storeKey);
        }
        UsageRollup current = totals.get(storeKey);
        if (current == null) {
            current = UsageRollup.newBuilder()
                    .setOrgId(e.getOrgId()).setDay(day).setPlan(e.getPlan()).setFeature(e.getFeature())
                    .setDataClass(dataClass).setEventCount(0).setRequestCount(0).setViolationCount(0)
                    .setViolationsByCode(new HashMap<>()).setUpdatedAt(e.getEventTime())
                    .build();
        }
        Map<String, Long> byCode = new HashMap<>(current.getViolationsByCode());
        for (Violation v : record.value().violations()) {
            byCode.merge(v.getCode().name(), 1L, Long::sum);
        }
        UsageRollup updated = UsageRollup.newBuilder(current)
                .setEventCount(current.getEventCount() + 1)
                .setRequestCount(current.getRequestCount() + requests(e))
                .setViolationCount(current.getViolationCount() + record.value().violations().size())
                .setViolationsByCode(byCode)
                .setUpdatedAt(e.getEventTime().isAfter(current.getUpdatedAt()) ? e.getEventTime() : current.getUpdatedAt())
                .build();
        totals.put(storeKey, updated);
        context.forward(new Record<>(outputKey(updated), updated, record.timestamp()));
    }

    /**
     * Remembers what this usage-report event adds and takes back what an earlier event with its eventId added (a
     * correction); a total whose key differs from the correction's is forwarded at once, the other one goes out with
     * the correction added.
     */
    private void supersedeEarlierEvent(Record<String, Evaluation> record, String storeKey) {
        UsageEvent e = record.value().context().event();
        LocalDate day = LocalDate.ofInstant(e.getEventTime(), ZoneOffset.UTC);
        Map<String, Long> codes = new HashMap<>();
        record.value().violations().forEach(v -> codes.merge(v.getCode().name(), 1L, Long::sum));
        UsageRollup contribution = UsageRollup.newBuilder()
                .setOrgId(e.getOrgId()).setDay(day).setPlan(e.getPlan()).setFeature(e.getFeature())
                .setDataClass(record.value().context().effectiveClass()).setEventCount(1).setRequestCount(requests(e))
                .setViolationCount(record.value().violations().size()).setViolationsByCode(codes)
                .setUpdatedAt(e.getEventTime())
                .build();
        UsageRollup earlier = corrections.replace(e, day, contribution);
        if (earlier == null) {
            return;
        }
        String earlierKey = storeKey(RollupKey.of(earlier));
        UsageRollup total = totals.get(earlierKey);
        if (total == null) {
            return; // its day was closed: nothing of it is open to change
        }
        Map<String, Long> byCode = new HashMap<>(total.getViolationsByCode());
        earlier.getViolationsByCode().forEach((code, n) ->
                byCode.computeIfPresent(code, (k, was) -> was - n == 0 ? null : was - n));
        UsageRollup reduced = UsageRollup.newBuilder(total)
                .setEventCount(total.getEventCount() - earlier.getEventCount())
                .setRequestCount(total.getRequestCount() - earlier.getRequestCount())
                .setViolationCount(total.getViolationCount() - earlier.getViolationCount())
                .setViolationsByCode(byCode)
                .build();
        totals.put(earlierKey, reduced);
        if (!earlierKey.equals(storeKey)) {
            context.forward(new Record<>(outputKey(reduced), reduced, record.timestamp()));
        }
    }

    /** What an event adds to requestCount: its own count, else 1. */
    private static long requests(UsageEvent e) {
        return e.getRequestCount() == null ? 1 : e.getRequestCount();
    }

    /** The key on the output topic ({@link RollupKey}): org first, so a reader can scan one org's days. */
    public static String outputKey(UsageRollup r) {
        return RollupKey.of(r).format();
    }

    /**
     * The key in this processor's store: {@code day|orgId|plan|feature|dataClass}, day first so that closing
     * days is one range scan. It is only ever compared by its day prefix, never parsed.
     */
    private static String storeKey(RollupKey k) {
        return k.day() + "|" + k.orgId() + "|" + k.plan() + "|" + k.feature() + "|" + k.dataClass();
    }

    /** Closes the days more than the grace period behind the watermark, and forgets their state. */
    void closeDaysBeyondGrace() {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        LocalDate boundary = LocalDate.ofInstant(Instant.ofEpochMilli(watermark).minus(grace), ZoneOffset.UTC);
        progress.put(WATERMARK, watermark);
        if (boundary.toEpochDay() <= closedBeforeEpochDay) {
            return;
        }
        deleteDaysBefore(totals, boundary);
        corrections.forgetDaysBefore(boundary);
        closedBeforeEpochDay = boundary.toEpochDay();
        progress.put(CLOSED_BEFORE, closedBeforeEpochDay);
    }

    /** Deletes the entries of a store keyed "{@code <day>|...}" whose day is before {@code boundary}. */
    static void deleteDaysBefore(KeyValueStore<String, ?> store, LocalDate boundary) {
        String first = boundary.toString();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, ?> it = store.range("", first)) {
            it.forEachRemaining(kv -> {
                if (kv.key.compareTo(first) < 0) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(store::delete);
    }
}
