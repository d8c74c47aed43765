package dev.compliance.streams.retention;

import dev.compliance.avro.Action;
import dev.compliance.avro.RetentionEvent;
import dev.compliance.avro.RetentionEventType;
import dev.compliance.avro.UsageEvent;
import dev.compliance.streams.Evaluation;
import dev.compliance.streams.Pseudonymizer;
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
 * The retention ledger: a SCHEDULED record per USE event (and per DELETE that starts a 30-day clock),
 * and an EXPIRED record per bucket when its day has passed.
 *
 * <p>State stays bounded at millions of events a day and horizons of five to ten years: scheduled
 * content is not stored per event but counted in buckets ({@link ExpiryBucket}, keyed {@code expiryDay|orgId|plan|feature|kind}).
 * The store holds at most orgs x days-ahead x paths-in-use keys, whatever the event volume. Keys start
 * with the ISO day, so the expiry check is one range scan over the days already past, then deletes.
 * The check runs on wall-clock time (the vendor deletes content by the calendar, not by our stream's
 * progress): a bucket expires once its whole UTC day is over, so EXPIRED lags the exact expiresAt by
 * less than a day, and a late event whose expiry day is already over expires at the next check.
 */
public final class RetentionLedger implements Processor<String, Evaluation, String, RetentionEvent> {

    public static final String STORE = "retention-expiry-buckets";

    private final Pseudonymizer pseudonymizer;
    private final Duration checkInterval;
    private ProcessorContext<String, RetentionEvent> context;
    private KeyValueStore<String, Long> buckets;

    public RetentionLedger(Pseudonymizer pseudonymizer, Duration checkInterval) {
        this.pseudonymizer = pseudonymizer;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, RetentionEvent> context) {
        this.context = context;
        this.buckets = context.getStateStore(STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::expireBucketsBefore);
    }

    @Override
    public void process(Record<String, Evaluation> record) {
        RetentionVerdict v = record.value().retention();
        if (v == null) {
            return; // a DELETE of content that is not kept until deleted: nothing to schedule
        }
        UsageEvent e = record.value().context().event();
        RetentionEvent scheduled = RetentionEvent.newBuilder()
                .setType(RetentionEventType.SCHEDULED)
                .setOrgId(e.getOrgId())
                .setEventId(e.getEventId())
                .setUserPseudonym(pseudonymizer.pseudonym(e.getUserId()))
                .setResourceId(e.getResourceId())
                .setTrigger(e.getAction())
                .setPlan(e.getPlan())
                .setFeature(e.getFeature())
                .setEffectiveClass(e.getAction() == Action.USE ? record.value().context().effectiveClass() : null)
                .setKind(v.kind())
                .setDays(v.days())
                .setEventTime(e.getEventTime())
                .setExpiresAt(v.expiresAt())
                .setWorstCaseExpiresAt(v.worstCaseExpiresAt())
                .setLocalTranscriptExpiresAt(v.localTranscriptExpiresAt())
                .setRetentionRow(v.row())
                .setCitations(v.citations())
                .setItemCount(1)
                .build();
        context.forward(record.withValue(scheduled));
        if (v.expiresAt() != null) {
            String key = new ExpiryBucket(day(v.expiresAt()), e.getOrgId(), e.getPlan(), e.getFeature(), v.kind()).format();
            Long count = buckets.get(key);
            buckets.put(key, count == null ? 1 : count + 1);
        }
    }

    /** Emits an EXPIRED record for every bucket whose day is over, and forgets it. */
    void expireBucketsBefore(long now) {
        String today = day(Instant.ofEpochMilli(now)).toString();
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = buckets.range("", today)) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.key.compareTo(today) < 0) {
                    due.add(kv);
                }
            }
        }
        for (KeyValue<String, Long> kv : due) {
            ExpiryBucket bucket = ExpiryBucket.parse(kv.key);
            Instant expiryDay = bucket.expiryDay().atStartOfDay(ZoneOffset.UTC).toInstant();
            RetentionEvent expired = RetentionEvent.newBuilder()
                    .setType(RetentionEventType.EXPIRED)
                    .setOrgId(bucket.orgId())
                    .setTrigger(Action.USE)
                    .setPlan(bucket.plan())
                    .setFeature(bucket.feature())
                    .setKind(bucket.kind())
                    .setEventTime(expiryDay)
                    .setExpiresAt(expiryDay)
                    .setRetentionRow(0)
                    .setCitations(List.of())
                    .setItemCount(kv.value)
                    .build();
            context.forward(new Record<>(bucket.orgId(), expired, now));
            buckets.delete(kv.key);
        }
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
