package dev.compliance.streams.query;

import dev.compliance.avro.UsageRollup;
import dev.compliance.streams.rollup.RollupKey;
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
 * The daily rollups as the API reads them: the latest total of every rollup key ({@link RollupKey}, org
 * first), for violation counts by code x day. The rollup processor forgets a day once it is closed; this
 * store keeps the days of the history kept ({@code compliance.ledger.history.days}), as the compacted
 * rollup topic does, and forgets older ones every 30 days (the pass reads the whole store). Bounded by orgs x days x paths.
 */
public final class RollupsByOrg implements Processor<String, UsageRollup, Void, Void> {

    public static final String STORE = "rollups-by-org";

    private final Duration history;
    private KeyValueStore<String, UsageRollup> rollups;
    private LocalDate prunedBefore = LocalDate.MIN;

    public RollupsByOrg(Duration history) {
        this.history = history;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        rollups = context.getStateStore(STORE);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forgetOldDays);
    }

    @Override
    public void process(Record<String, UsageRollup> record) {
        rollups.put(record.key(), record.value());
    }

    void forgetOldDays(long now) {
        LocalDate cutoff = LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC).minusDays(history.toDays());
        if (cutoff.isBefore(prunedBefore.plusDays(RetentionExposure.FOLD_EVERY_DAYS))) { // it reads the whole store
            return;
        }
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, UsageRollup> it = rollups.all()) {
            while (it.hasNext()) {
                KeyValue<String, UsageRollup> kv = it.next();
                if (kv.value.getDay().isBefore(cutoff)) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(rollups::delete);
        prunedBefore = cutoff;
    }
}
