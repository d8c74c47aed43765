package dev.compliance.proofs;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's suspected mechanism forced, without the app: a transactional producer (transaction.timeout.ms 10000
 * as Kafka Streams sets it under exactly_once_v2, transaction version 2 as the broker negotiates) sends records and
 * the offsets of a consumer group in a transaction, and the broker is SIGKILLed at a chosen point of that
 * transaction: after the offsets were sent and before the commit, while the commit is under way (EndTxn and the
 * markers; a delay of a few milliseconds), right after the commit returned, or with the offsets sent and the
 * crashed producer going on after the coordinator aborted its timed-out transaction ({@link CrashPoint}). After the
 * restart the producer is
 * closed and a new one with the same transactional id calls initTransactions, as a Kafka Streams thread does; then
 * a read_committed consumer of the group (OffsetFetch with require_stable, as the stream thread's
 * fetchCommittedOffsets) must get a stable committed offset. A round that still gets no committed offset
 * (UNSTABLE_OFFSET_COMMIT, retried inside committed()) two minutes after the restart is the stall of issue 9.
 *
 * <p>Not an *IT: {@code mvn -pl cli -am verify -Dit.test=PendingOffsetsProbe -Dproofs.probe.rounds=N} runs it
 * (with the Testcontainers settings of ops/proofs/lib.sh); the table goes to stdout and
 * {@code target/proofs/pending-offsets-probe.md}, the broker's log beside it.
 */
class PendingOffsetsProbe {

    private static final String IN = "probe.in";
    private static final String OUT = "probe.out";
    private static final Duration STABLE_BOUND = Duration.ofMinutes(2);

    enum CrashPoint {
        OFFSETS_SENT_NOT_COMMITTED, DURING_COMMIT, AFTER_COMMIT,
        /** crash with the offsets sent; after the restart the coordinator aborts the timed-out transaction, then the
         *  crashed producer (which never learnt of it) retries its commit, as a stream thread blocked in
         *  commitTransaction across a restart does */
        TIMED_OUT_THEN_COMMIT,
        /** as above, but the crashed producer first sends the group's offsets again (a TxnOffsetCommit after the
         *  abort marker: if the group coordinator accepted it, nothing would ever close it) */
        TIMED_OUT_THEN_OFFSETS_AGAIN
    }

    /** Longer than transaction.timeout.ms (10 s) plus the coordinator's abort check interval (10 s). */
    private static final Duration TIMEOUT_ABORT = Duration.ofSeconds(25);

    @Test
    void offsetsOfATransactionCutByABrokerCrashBecomeStable() throws Exception {
        int rounds = Integer.getInteger("proofs.probe.rounds", 10);
        Path dir = Path.of(System.getProperty("proofs.dir", "target/proofs"));
        Files.createDirectories(dir);
        List<String> rows = new ArrayList<>();
        int stuck = 0;
        try (Broker broker = Broker.start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(IN, 1, (short) 1), new NewTopic(OUT, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            for (int round = 0; round < rounds; round++) {
                CrashPoint point = CrashPoint.values()[round % CrashPoint.values().length];
                int delayMs = point == CrashPoint.DURING_COMMIT ? (round / CrashPoint.values().length) * 3 : 0;
                String group = "probe-group-" + round;
                String txnId = "probe-txn-" + round;
                long offset = 100L + round;
                KafkaProducer<byte[], byte[]> producer = producer(broker, txnId);
                producer.initTransactions();
                producer.beginTransaction();
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>(OUT, p, null, ("round " + round).getBytes()));
                }
                producer.sendOffsetsToTransaction(Map.of(new TopicPartition(IN, 0), new OffsetAndMetadata(offset)),
                        new ConsumerGroupMetadata(group));
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                    System.out.println("[probe] round " + round + " before the crash: " + OpenTransactions.report(admin, group));
                }
                boolean timesOut = point == CrashPoint.TIMED_OUT_THEN_COMMIT || point == CrashPoint.TIMED_OUT_THEN_OFFSETS_AGAIN;
                if (timesOut) {
                    producer.flush();
                }
                CompletableFuture<Void> commit = CompletableFuture.completedFuture(null);
                if (point == CrashPoint.DURING_COMMIT) {
                    commit = CompletableFuture.runAsync(producer::commitTransaction);
                    Thread.sleep(delayMs);
                } else if (point == CrashPoint.AFTER_COMMIT) {
                    producer.commitTransaction();
                }
                broker.crashAndRestart();
                long restartedAt = System.nanoTime();
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                    System.out.println("[probe] round " + round + " after the restart: " + OpenTransactions.report(admin, group));
                }
                try {
                    commit.get(90, TimeUnit.SECONDS);
                } catch (Exception commitFailed) {
                    // expected for a crash before or during the commit
                }
                if (timesOut) {
                    Thread.sleep(TIMEOUT_ABORT.toMillis()); // not a bound on anything: lets the coordinator abort
                    try {
                        if (point == CrashPoint.TIMED_OUT_THEN_OFFSETS_AGAIN) {
                            producer.sendOffsetsToTransaction(Map.of(new TopicPartition(IN, 0), new OffsetAndMetadata(offset + 1)),
                                    new ConsumerGroupMetadata(group));
                        }
                        producer.commitTransaction();
                    } catch (Exception fencedOrAborted) {
                        System.out.println("[probe] round " + round + " the crashed producer after the abort: " + fencedOrAborted);
                    }
                }
                producer.close(Duration.ZERO);
                try (KafkaProducer<byte[], byte[]> successor = producer(broker, txnId)) {
                    successor.initTransactions(); // aborts what the crashed one left open
                }
                String outcome = awaitStable(broker, group, offset);
                double seconds = (System.nanoTime() - restartedAt) / 1e9;
                stuck += outcome.startsWith("STUCK") ? 1 : 0;
                rows.add(String.format("| %d | %s | %d | %s | %.0f |", round, point, delayMs, outcome, seconds));
                System.out.println("[probe] round " + round + " " + point + " +" + delayMs + " ms: " + outcome);
            }
            broker.saveLogs(dir.resolve("pending-offsets-probe-broker.log"));
        }
        String table = "\npending-offsets probe: " + (rows.size() - stuck) + " of " + rows.size() + " rounds stable\n\n"
                + "| round | broker killed | delay ms | committed offset seen with require_stable | s after restart |\n"
                + "|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        Files.writeString(dir.resolve("pending-offsets-probe.md"), table);
        assertThat(stuck).as("rounds whose group offsets stayed unstable " + STABLE_BOUND + " after the restart").isZero();
    }

    /** Asks for the group's committed offset with require_stable until it is answered (or the bound passes). */
    private static String awaitStable(Broker broker, String group, long sent) {
        TopicPartition tp = new TopicPartition(IN, 0);
        long deadline = System.nanoTime() + STABLE_BOUND.toNanos();
        int unanswered = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (System.nanoTime() < deadline) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(tp), Duration.ofSeconds(10));
                    OffsetAndMetadata o = committed.get(tp);
                    String seen = o == null ? "none (aborted)" : (o.offset() == sent ? "committed " + sent : "offset " + o.offset());
                    return seen + (unanswered == 0 ? "" : " after " + unanswered + " unanswered 10 s fetches");
                } catch (TimeoutException unstable) {
                    unanswered++;
                }
            }
        }
        return "STUCK: no stable offset (" + unanswered + " fetches of 10 s timed out)";
    }

    private static KafkaProducer<byte[], byte[]> producer(Broker broker, String txnId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
