package dev.compliance.streams.query;

import dev.compliance.avro.Action;
import dev.compliance.avro.DataClass;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.RetentionKind;
import dev.compliance.streams.rollup.RollupKey;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
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
import java.util.List;

/**
 * Keeps, per org, what the vendor holds and when it goes, so that the retention API can answer for any
 * day without replaying {@code compliance.retention}. It reads the retention ledger's SCHEDULED records (the
 * EXPIRED ones repeat, per bucket, what the dates already say) and keeps three stores:
 * <ul>
 *   <li>{@link #STORE}: per org x day x kind x dated x plan x feature x class ({@link ExposureKey}), the items
 *       that began to be held that day, those whose copy is gone that day, and those whose worst case ends that
 *       day ({@link ExposureDelta}). Held at the end of day D = the sum of the days up to D. An item is held from
 *       the day of its event up to, not including, the day of its expiresAt (a ZERO item is never held);
 *       an item without expiresAt (UNTIL_DELETED before its deletion, PLATFORM_DEFINED) is held with no end.</li>
 *   <li>{@link #UNTIL_DELETED_STORE}: the undated UNTIL_DELETED items still held, per org x day of use x plan x
 *       feature x class (keyed like a rollup, {@link RollupKey}). A DELETE (seed 001: deleted content goes after
 *       30 days) moves the oldest such item of its org x plan x feature used on or before its day (oldest day,
 *       then class by name) onto its
 *       30-day clock: it leaves the undated count and is held, dated, until the DELETE's expiresAt, with its class.
 *       A DELETE that finds none (content used before the pipeline ran) is a new dated item without a class.</li>
 *   <li>{@link #ORGS_STORE}: every org seen, with the time of its latest event.</li>
 * </ul>
 * Bounded by orgs x days x paths: every 30 days, the days older than the history kept
 * ({@code compliance.ledger.history.days}) are folded into the oldest day kept, so that counts stay right and
 * only answers "as of" a day before it are refused.
 */
public final class RetentionExposure implements Processor<String, RetentionEvent, Void, Void> {

    public static final String STORE = "retention-exposure";
    public static final String UNTIL_DELETED_STORE = "retention-until-deleted";
    public static final String ORGS_STORE = "ledger-orgs";
    /** How often, in days, the days older than the history are folded (see {@link #foldOldDays}). */
    public static final int FOLD_EVERY_DAYS = 30;

    private final Duration history;
    private KeyValueStore<String, ExposureDelta> exposure;
    private KeyValueStore<String, Long> untilDeleted;
    private KeyValueStore<String, Long> orgs;
    private LocalDate foldedBefore = LocalDate.MIN;

    public RetentionExposure(Duration history) {
        this.history = history;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        exposure = context.getStateStore(STORE);
        untilDeleted = context.getStateStore(UNTIL_DELETED_STORE);
        orgs = context.getStateStore(ORGS_STORE);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::foldOldDays);
    }

    @Override
    public void process(Record<String, RetentionEvent> record) {
        RetentionEvent r = record.value();
        if (r.getType() != RetentionEventType.SCHEDULED) {
            return;
        }
        Long last = orgs.get(r.getOrgId());
        long at = r.getEventTime().toEpochMilli();
        if (last == null || last < at) {
            orgs.put(r.getOrgId(), at);
        }
        LocalDate day = day(r.getEventTime());
        DataClass dataClass = r.getEffectiveClass();
        if (r.getTrigger() == Action.DELETE) {
            RollupKey released = releaseOldest(r);
            if (released != null) {
                dataClass = released.dataClass();
                add(new ExposureKey(r.getOrgId(), day, r.getKind(), false, r.getPlan(), r.getFeature(), dataClass),
                        new ExposureDelta(0, 1, 1));
            }
        }
        boolean dated = r.getExpiresAt() != null;
        ExposureKey key = new ExposureKey(r.getOrgId(), day, r.getKind(), dated, r.getPlan(), r.getFeature(), dataClass);
        add(key, new ExposureDelta(1, 0, 0));
        if (dated) {
            add(key.on(day(r.getExpiresAt())), new ExposureDelta(0, 1, 0));
            add(key.on(day(r.getWorstCaseExpiresAt())), new ExposureDelta(0, 0, 1));
        } else if (r.getKind() == RetentionKind.UNTIL_DELETED) {
            String held = new RollupKey(r.getOrgId(), day, r.getPlan(), r.getFeature(), dataClass).format();
            Long count = untilDeleted.get(held);
            untilDeleted.put(held, count == null ? 1 : count + 1);
        }
    }

    /**
     * Takes the oldest undated item of the DELETE's org x plan x feature, used on or before the day of the
     * DELETE, off the undated count; null if none (a DELETE cannot remove content sent after it).
     */
    private RollupKey releaseOldest(RetentionEvent delete) {
        RollupKey oldest = null;
        long count = 0;
        try (KeyValueIterator<String, Long> it = untilDeleted.prefixScan(delete.getOrgId() + "|", new StringSerializer())) {
            LocalDate deletedOn = day(delete.getEventTime());
            while (it.hasNext() && oldest == null) {
                KeyValue<String, Long> kv = it.next();
                RollupKey k = RollupKey.parse(kv.key);
                if (k.orgId().equals(delete.getOrgId()) && k.plan() == delete.getPlan() && k.feature() == delete.getFeature()
                        && !k.day().isAfter(deletedOn)) {
                    oldest = k;
                    count = kv.value;
                }
            }
        }
        if (oldest != null) {
            if (count <= 1) {
                untilDeleted.delete(oldest.format());
            } else {
                untilDeleted.put(oldest.format(), count - 1);
            }
        }
        return oldest;
    }

    private void add(ExposureKey key, ExposureDelta delta) {
        String k = key.format();
        ExposureDelta current = exposure.get(k);
        exposure.put(k, current == null ? delta : current.plus(delta));
    }

    /**
     * Folds every day before the history kept into the first day kept. The fold reads the whole store, so it runs
     * once every {@value #FOLD_EVERY_DAYS} days: the store holds at most that many days more than the history.
     */
    void foldOldDays(long now) {
        LocalDate cutoff = day(Instant.ofEpochMilli(now)).minusDays(history.toDays());
        if (cutoff.isBefore(foldedBefore.plusDays(FOLD_EVERY_DAYS))) {
            return;
        }
        List<KeyValue<String, ExposureDelta>> old = new ArrayList<>();
        try (KeyValueIterator<String, ExposureDelta> it = exposure.all()) {
            while (it.hasNext()) {
                KeyValue<String, ExposureDelta> kv = it.next();
                if (ExposureKey.parse(kv.key).day().isBefore(cutoff)) {
                    old.add(kv);
                }
            }
        }
        for (KeyValue<String, ExposureDelta> kv : old) {
            exposure.delete(kv.key);
            add(ExposureKey.parse(kv.key).on(cutoff), kv.value);
        }
        foldedBefore = cutoff;
    }

    /** The first day of the history kept at {@code today}: "as of" answers for earlier days are refused. */
    public static LocalDate firstDayKept(LocalDate today, Duration history) {
        return today.minusDays(history.toDays());
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
