package dev.compliance.bench.retention;

import dev.compliance.avro.UsageEvent;
import dev.compliance.avro.UsageRollup;
import dev.compliance.bench.EventMix;
import dev.compliance.bench.TopologyHarness;
import dev.compliance.streams.retention.ExpiryBucket;
import dev.compliance.streams.retention.RetentionLedger;
import dev.compliance.streams.rollup.DailyRollup;
import dev.compliance.topics.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

/**
 * A simulated year through the whole topology (TopologyTestDriver): {@code days} days of
 * {@code perDay} events each over {@code orgs} orgs, the wall clock following the event days so that
 * the ledger's expiry check runs as it would in production. At every month end it reports the size
 * of the retention-expiry-buckets store (keys, approximate bytes: key UTF-8 + 8-byte count) and of the
 * daily-rollups store, with the bound the ledger is designed to stay under: orgs x days-ahead x paths.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.compliance.bench.retention.RetentionYear [--orgs M] [--per-day K] [--days D]}
 */
public final class RetentionYear {

    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-01-01");

    private RetentionYear() {
    }

    public static void main(String[] args) {
        int orgs = 100;
        int perDay = 1000;
        int days = 365;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--orgs" -> orgs = positive(args, ++i);
                case "--per-day" -> perDay = positive(args, ++i);
                case "--days" -> days = positive(args, ++i);
                default -> {
                    System.err.println("unknown argument '" + args[i] + "' (expected --orgs M, --per-day K, --days D)");
                    System.exit(2);
                }
            }
        }
        run(orgs, perDay, days);
    }

    static void run(int orgs, int perDay, int days) {
        EventMix mix = new EventMix(42, orgs);
        Instant start = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        System.out.printf("Retention store over %d days: %,d events/day, %d orgs (%d with a policy), %,d events in all%n%n",
                days, perDay, orgs, mix.policies().size(), (long) perDay * days);
        System.out.println("| day | month end | events so far | ledger keys | ledger bytes (approx.) | expiry days held | org-paths (org x plan x feature x kind) | bound days x org-paths | ledger keys per 1,000 events | rollup keys | rollup bytes (approx.) |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        long piped = 0;
        long began = System.nanoTime();
        try (TopologyHarness harness = new TopologyHarness(start)) {
            harness.publish(mix.policies());
            Serializer<UsageRollup> rollupSerializer = Topics.ROLLUPS_DAILY.valueSerde(harness.config).serializer();
            long spacingMs = 86_400_000L / perDay;
            for (int d = 0; d < days; d++) {
                LocalDate day = FIRST_DAY.plusDays(d);
                Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                for (int j = 0; j < perDay; j++) {
                    UsageEvent e = mix.next(dayStart.plusMillis(j * spacingMs));
                    harness.pipe(e.getOrgId(), harness.encode(e), e.getEventTime());
                    if (++piped % 1000 == 0) {
                        harness.drain();
                    }
                }
                // the day is over: the wall clock moves on and the ledger's expiry check runs
                harness.driver.advanceWallClockTime(Duration.ofDays(1));
                harness.drain();
                boolean monthEnd = day.plusDays(1).getDayOfMonth() == 1 || d == days - 1;
                if (monthEnd) {
                    report(harness, d + 1, day, piped, rollupSerializer);
                }
            }
            System.out.printf("%noutput records: %s; %.1f s%n", harness.outputCounts(), (System.nanoTime() - began) / 1e9);
        }
    }

    private static void report(TopologyHarness harness, int dayNumber, LocalDate day, long events, Serializer<UsageRollup> rollupSerializer) {
        KeyValueStore<String, Long> ledger = harness.driver.getKeyValueStore(RetentionLedger.STORE);
        long keys = 0;
        long bytes = 0;
        Set<String> expiryDays = new HashSet<>();
        Set<String> orgPaths = new HashSet<>();
        try (KeyValueIterator<String, Long> it = ledger.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                keys++;
                bytes += kv.key.getBytes(StandardCharsets.UTF_8).length + Long.BYTES;
                ExpiryBucket bucket = ExpiryBucket.parse(kv.key);
                expiryDays.add(bucket.expiryDay().toString());
                orgPaths.add(bucket.orgId() + "|" + bucket.plan() + "|" + bucket.feature() + "|" + bucket.kind());
            }
        }
        KeyValueStore<String, UsageRollup> rollups = harness.driver.getKeyValueStore(DailyRollup.STORE);
        long rollupKeys = 0;
        long rollupBytes = 0;
        try (KeyValueIterator<String, UsageRollup> it = rollups.all()) {
            while (it.hasNext()) {
                KeyValue<String, UsageRollup> kv = it.next();
                rollupKeys++;
                rollupBytes += kv.key.getBytes(StandardCharsets.UTF_8).length
                        + rollupSerializer.serialize(Topics.ROLLUPS_DAILY.name(), kv.value).length;
            }
        }
        System.out.printf("| %d | %s | %,d | %,d | %,d | %,d | %,d | %,d | %.1f | %,d | %,d |%n", dayNumber, day, events, keys, bytes,
                expiryDays.size(), orgPaths.size(), (long) expiryDays.size() * orgPaths.size(), 1000.0 * keys / events,
                rollupKeys, rollupBytes);
        System.out.flush();
    }

    private static int positive(String[] args, int i) {
        String flag = args[i - 1];
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        try {
            int n = Integer.parseInt(args[i]);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        System.err.println(flag + " must be a positive whole number, got '" + args[i] + "'");
        System.exit(2);
        return 0;
    }
}
