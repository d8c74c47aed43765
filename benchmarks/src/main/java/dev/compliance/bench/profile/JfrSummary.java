package dev.compliance.bench.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JFR recording and says where the pipeline's threads spent their time: CPU samples
 * (jdk.ExecutionSample) and samples of threads inside native code (jdk.NativeMethodSample, e.g. RocksDB
 * or socket I/O), attributed to the pipeline stage whose frame is nearest the top of the stack, plus
 * the hottest leaf methods.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.compliance.bench.profile.JfrSummary FILE [THREAD-NAME-PART]}
 * (default thread filter: "StreamThread").
 */
public final class JfrSummary {

    /** Frame prefix (class.method) to stage; the first one found from the top of the stack wins. */
    private static final Map<String, String> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("dev.compliance.serde.SpecificAvroSerializer.serialize", "Avro serialize (output records)");
        STAGES.put("dev.compliance.serde.SpecificAvroDeserializer.deserialize", "Avro decode (usage event)");
        STAGES.put("dev.compliance.streams.ocsf.OcsfComplianceFinding.toJson", "OCSF JSON (findings)");
        STAGES.put("dev.compliance.streams.rules.Rules.judge", "rules (Rules.judge, Violation records)");
        STAGES.put("dev.compliance.streams.retention.RetentionCalculator.decide", "retention verdict");
        STAGES.put("dev.compliance.streams.Pseudonymizer.pseudonym", "pseudonymize user id (HMAC)");
        STAGES.put("dev.compliance.streams.EventValidation.problem", "validate");
        STAGES.put("org.apache.kafka.streams.state.internals.RocksDBStore.flush", "state store flush / checkpoint (commit)");
        STAGES.put("org.apache.kafka.streams.state.internals.RocksDBStore.commit", "state store flush / checkpoint (commit)");
        STAGES.put("org.apache.kafka.streams.processor.internals.ProcessorStateManager.checkpoint", "state store flush / checkpoint (commit)");
        STAGES.put("org.apache.kafka.streams.state.internals.RocksDBVersionedStore", "org-policy join (versioned store)");
        STAGES.put("org.apache.kafka.streams.kstream.internals.KStreamKTableJoin", "org-policy join (versioned store)");
        STAGES.put("org.apache.kafka.streams.kstream.internals.KStreamKTableJoinProcessor", "org-policy join (versioned store)");
        STAGES.put("org.apache.kafka.streams.kstream.internals.KStreamKTableJoinProcessor.process", "org-policy join (versioned store)");
        STAGES.put("org.apache.kafka.streams.kstream.internals.KStreamGlobalKTableJoin", "catalog join (global store)");
        STAGES.put("dev.compliance.streams.retention.RetentionLedger.process", "retention ledger (store get/put, record)");
        STAGES.put("dev.compliance.streams.retention.RetentionLedger.expireBucketsBefore", "retention expiry scan");
        STAGES.put("dev.compliance.streams.rollup.DailyRollup.process", "daily rollup (store get/put, record)");
        STAGES.put("dev.compliance.streams.rollup.DailyRollup.forgetDaysBeyondGrace", "daily rollup grace scan");
        STAGES.put("dev.compliance.streams.rollup.DailyRollup.closeDaysBeyondGrace", "daily rollup grace scan");
        STAGES.put("org.apache.kafka.streams.state.internals.ChangeLogging", "changelog send");
        STAGES.put("org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send", "output send (producer client)");
        STAGES.put("org.apache.kafka.clients.producer.KafkaProducer.commitTransaction", "transaction commit (EOS)");
        STAGES.put("org.apache.kafka.clients.producer.KafkaProducer.sendOffsetsToTransaction", "transaction commit (EOS)");
        STAGES.put("org.apache.kafka.clients.producer.KafkaProducer.beginTransaction", "transaction commit (EOS)");
        STAGES.put("org.apache.kafka.streams.processor.internals.TaskExecutor.commitOffsetsOrTransaction", "transaction commit (EOS)");
        STAGES.put("org.apache.kafka.streams.processor.internals.TaskManager.commit", "commit (other)");
        STAGES.put("org.apache.kafka.clients.consumer", "consumer poll / fetch");
        STAGES.put("org.apache.kafka.streams.processor.internals.StreamThread.pollRequests", "consumer poll / fetch");
        STAGES.put("org.apache.kafka.streams.processor.internals.RecordQueue", "record queue (input deserialization)");
        STAGES.put("org.apache.kafka.streams.processor.internals.RecordDeserializer", "record queue (input deserialization)");
        STAGES.put("org.apache.kafka.streams.processor.internals.StreamTask.process", "streams task (other processing)");
        STAGES.put("org.apache.kafka.streams.TopologyTestDriver", "TopologyTestDriver (other)");
    }

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrSummary FILE.jfr [THREAD-NAME-PART]");
            System.exit(2);
        }
        String threadPart = args.length > 1 ? args[1] : "StreamThread";
        Map<String, Map<String, Integer>> byStage = new HashMap<>();
        Map<String, Map<String, Integer>> byLeaf = new HashMap<>();
        Map<String, Integer> totals = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            var thread = e.getThread("sampledThread");
            String name = thread == null ? "" : thread.getJavaName();
            if (name == null || !name.contains(threadPart)) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null) {
                continue;
            }
            String kind = type.equals("jdk.ExecutionSample") ? "cpu" : "native";
            totals.merge(kind, 1, Integer::sum);
            byStage.computeIfAbsent(kind, k -> new HashMap<>()).merge(stage(stack.getFrames()), 1, Integer::sum);
            List<RecordedFrame> frames = stack.getFrames();
            if (!frames.isEmpty()) {
                byLeaf.computeIfAbsent(kind, k -> new HashMap<>()).merge(name(frames.get(0)), 1, Integer::sum);
            }
        }
        for (String kind : List.of("cpu", "native")) {
            int total = totals.getOrDefault(kind, 0);
            System.out.printf("%n%s samples on threads named *%s*: %d%s%n", kind.equals("cpu") ? "CPU (jdk.ExecutionSample)"
                    : "in native code (jdk.NativeMethodSample)", threadPart, total, total == 0 ? "" : "");
            if (total == 0) {
                continue;
            }
            System.out.println("| stage | samples | share |");
            System.out.println("| --- | ---: | ---: |");
            top(byStage.get(kind), 30).forEach(en -> System.out.printf("| %s | %d | %.1f%% |%n", en.getKey(), en.getValue(),
                    100.0 * en.getValue() / total));
            System.out.println("\nhottest leaf methods:");
            top(byLeaf.get(kind), 15).forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / total, en.getKey()));
        }
    }

    private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n).toList();
    }

    static String stage(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String name = name(f);
            for (var s : STAGES.entrySet()) {
                if (name.startsWith(s.getKey())) {
                    return s.getValue();
                }
            }
        }
        return "other";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
