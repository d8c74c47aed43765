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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Daily usage per org x plan x feature x effective data class, with violation counts. No user id.
 *
 * <p>The input is keyed by orgId, so every rollup key of an org lives in the same task: no repartition.
 * Each USE event updates its day's total and forwards it; the output topic is compacted, so the latest
 * record per key is the day's running total. Late and out-of-order events update their own day as long
 * as that day is within the grace period behind stream time; older days have been forgotten (their
 * totals stand on the output topic) and an event that late is not counted in rollups (it still raises
 * its violations and retention records, which do not depend on this state).
 */
public final class DailyRollup implements Processor<String, Evaluation, String, UsageRollup> {

    public static final String STORE = "daily-rollups";

    private final Duration grace;
    private ProcessorContext<String, UsageRollup> context;
    private KeyValueStore<String, UsageRollup> totals;

    public DailyRollup(Duration grace) {
        this.grace = grace;
    }

    @Override
    public void init(ProcessorContext<String, UsageRollup> context) {
        this.context = context;
        this.totals = context.getStateStore(STORE);
        context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, this::forgetDaysBeyondGrace);
    }

    @Override
    public void process(Record<String, Evaluation> record) {
        UsageEvent e = record.value().context().event();
        if (e.getAction() != Action.USE) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(e.getEventTime(), ZoneOffset.UTC);
        if (day.isBefore(oldestOpenDay(context.currentStreamTimeMs()))) {
            return; // later than the grace period: see the class comment
        }
        var dataClass = record.value().context().effectiveClass();
        String storeKey = day + "|" + e.getOrgId() + "|" + e.getPlan() + "|" + e.getFeature() + "|" + dataClass;
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
                .setRequestCount(current.getRequestCount() + (e.getRequestCount() == null ? 1 : e.getRequestCount()))
                .setViolationCount(current.getViolationCount() + record.value().violations().size())
                .setViolationsByCode(byCode)
                .setUpdatedAt(e.getEventTime().isAfter(current.getUpdatedAt()) ? e.getEventTime() : current.getUpdatedAt())
                .build();
        totals.put(storeKey, updated);
        context.forward(new Record<>(outputKey(updated), updated, record.timestamp()));
    }

    /** The key on the output topic: org first, so a reader can scan one org's days. */
    public static String outputKey(UsageRollup r) {
        return r.getOrgId() + "|" + r.getDay() + "|" + r.getPlan() + "|" + r.getFeature() + "|" + r.getDataClass();
    }

    private LocalDate oldestOpenDay(long streamTime) {
        return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(Math.max(streamTime, 0)).minus(grace), ZoneOffset.UTC);
    }

    private void forgetDaysBeyondGrace(long streamTime) {
        String oldest = oldestOpenDay(streamTime).toString();
        java.util.List<String> old = new java.util.ArrayList<>();
        try (KeyValueIterator<String, UsageRollup> it = totals.range("", oldest)) {
            it.forEachRemaining(kv -> {
                if (kv.key.compareTo(oldest) < 0) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(totals::delete);
    }
}
