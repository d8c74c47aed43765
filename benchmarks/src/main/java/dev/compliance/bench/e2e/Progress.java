package dev.compliance.bench.e2e;

import dev.compliance.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows a consumer group's committed offsets on the input topic (what an exactly-once application
 * has durably processed) until they reach the target, and derives throughput from the samples.
 */
final class Progress {

    /** One sample: seconds since the application started, events committed. */
    record Sample(double seconds, long committed) {
    }

    /** A finished drain. */
    record Drain(long events, double totalSeconds, double firstCommitSeconds, double sustainedPerSecond,
                 double overallPerSecond, List<Sample> samples) {
    }

    private static final Duration STALL = Duration.ofSeconds(90);
    private static boolean reported;

    private Progress() {
    }

    /** Samples the group's committed offsets every 200 ms until they reach {@code target}; {@code healthCheck} throws when the application failed. */
    static Drain follow(String label, Admin admin, String groupId, String topic, long target, long startNanos,
                        Duration timeout, Runnable healthCheck) {
        List<Sample> samples = new ArrayList<>();
        long lastPrint = System.nanoTime();
        long deadline = startNanos + timeout.toNanos();
        long committed = 0;
        long lastChange = System.nanoTime();
        while (committed < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + " did not drain " + target + " events within " + timeout.toMinutes()
                        + " min (" + committed + " committed)");
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            healthCheck.run();
            long now = committed(admin, groupId, topic);
            if (now != committed) {
                committed = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                System.out.println("  [" + label + "] stalled; input partitions (committed / last stable offset / high watermark): "
                        + partitionReport(admin, groupId, topic));
                throw new IllegalStateException(label + " stalled: " + committed + " of " + target
                        + " events committed and no progress for " + STALL.toSeconds() + " s (run it again; see BENCHMARKS.md)");
            }
            double t = (System.nanoTime() - startNanos) / 1e9;
            samples.add(new Sample(t, committed));
            if (System.nanoTime() - lastPrint > Duration.ofSeconds(5).toNanos()) {
                lastPrint = System.nanoTime();
                System.out.printf("  [%s] %,d / %,d events committed (%.0f%%) after %.1f s%n", label, committed, target,
                        100.0 * committed / target, t);
            }
        }
        double total = samples.get(samples.size() - 1).seconds();
        double firstCommit = samples.stream().filter(s -> s.committed() > 0).findFirst().orElseThrow().seconds();
        Sample from = samples.stream().filter(s -> s.committed() >= 0.1 * target).findFirst().orElseThrow();
        Sample to = samples.stream().filter(s -> s.committed() >= 0.9 * target).findFirst().orElseThrow();
        double sustained = to.seconds() > from.seconds()
                ? (to.committed() - from.committed()) / (to.seconds() - from.seconds())
                : target / total;
        return new Drain(target, total, firstCommit, sustained, target / total, samples);
    }

    /** Per partition: the group's committed offset, the last stable offset (read_committed end) and the high watermark. */
    static String partitionReport(Admin admin, String groupId, String topic) {
        try {
            var committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topics.USAGE_EVENTS.partitions(); p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var lso = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            var hw = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
            StringBuilder sb = new StringBuilder();
            latest.keySet().stream().sorted(Comparator.comparingInt(TopicPartition::partition)).forEach(tp -> {
                OffsetAndMetadata c = committed.get(tp);
                sb.append(' ').append(tp.partition()).append('=').append(c == null ? "-" : c.offset()).append('/')
                        .append(lso.get(tp).offset()).append('/').append(hw.get(tp).offset());
            });
            return sb.toString();
        } catch (Exception e) {
            return "(cannot describe: " + e.getMessage() + ")";
        }
    }

    static long committed(Admin admin, String groupId, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            long sum = 0;
            for (var e : offsets.entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                    sum += e.getValue().offset();
                }
            }
            return sum;
        } catch (Exception e) {
            if (!reported) {
                reported = true;
                System.out.println("  (cannot read the offsets of group " + groupId + " yet: " + e.getMessage() + ")");
            }
            return 0;
        }
    }
}
