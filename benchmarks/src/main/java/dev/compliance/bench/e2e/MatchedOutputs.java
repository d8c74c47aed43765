package dev.compliance.bench.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The output-matched copy's plan (issue 15's second baseline): per input record, as many records of the same
 * sizes to the same topics and partitions as the pipeline wrote, so that the pipeline's ratio to this copy is
 * its own processing cost, not the cost of its output volume.
 *
 * <p>After the pipeline's drain, every topic it wrote (the output topics and its changelogs) is read back
 * (read_committed) and, per topic and partition, the key and value size of each record is kept in order.
 * The copy then spreads partition p's records evenly over partition p's input records: input record i of M
 * writes the records with index [i*N/M, (i+1)*N/M) of the N the pipeline wrote there. (All of them are
 * co-partitioned with the input: tasks are per input partition.) Each goes to {@code bench.matched.<topic>},
 * created with the same partitions and topic configs (compaction, timestamp type, compression), its bytes
 * sliced from a corpus of the pipeline's own records of that topic, so that compression sees content of
 * the same kind. Deletions (null values) stay null. Headers are not copied (the benchmark's input produces
 * no dead letters). The same pass measures what each state store holds, from its changelog ({@link #stores()}).
 */
final class MatchedOutputs implements CopyApp.Outputs {

    static final String PREFIX = "bench.matched.";
    private static final int CORPUS_BYTES = 1 << 20;
    private static final String CHANGELOG = "-changelog";

    /** One topic the pipeline wrote: per partition the record sizes in order (-1: null), and a corpus of its bytes. */
    private static final class Target {
        final String topic;
        final Map<Integer, Sizes> byPartition = new HashMap<>();
        final Corpus keys = new Corpus();
        final Corpus values = new Corpus();

        Target(String topic) {
            this.topic = topic;
        }
    }

    /** What a state store holds, from its changelog: live keys and their key + value bytes. */
    record StoreSize(long keys, long bytes) {
    }

    private final List<Target> targets;
    private final Map<Integer, Long> inputRecords;
    private final Map<String, StoreSize> stores;

    private MatchedOutputs(List<Target> targets, Map<Integer, Long> inputRecords, Map<String, StoreSize> stores) {
        this.targets = targets;
        this.inputRecords = inputRecords;
        this.stores = stores;
    }

    /**
     * Reads what the pipeline wrote to {@code sources} and creates the copy's topics.
     *
     * @param backlogEnd per input partition, the number of input records (the backlog starts at offset 0)
     */
    static MatchedOutputs readFrom(Admin admin, String bootstrap, List<String> sources, Map<TopicPartition, Long> backlogEnd) {
        Map<String, Target> byTopic = new LinkedHashMap<>();
        Map<String, Map<ByteBuffer, Integer>> live = new TreeMap<>(); // per changelog: (partition, key) -> key + value bytes
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            var descriptions = admin.describeTopics(sources).allTopicNames().get();
            descriptions.forEach((name, d) -> {
                byTopic.put(name, new Target(PREFIX + name));
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
            });
            createTopics(admin, descriptions.entrySet().stream()
                    .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue().partitions().size()), Map::putAll));
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe the pipeline's topics " + sources + ": " + e.getMessage(), e);
        }
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            ends.entrySet().removeIf(e -> e.getValue() == 0);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading the pipeline's output took over 10 minutes; left: " + ends.keySet());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Target t = byTopic.get(r.topic());
                    t.byPartition.computeIfAbsent(r.partition(), p -> new Sizes()).add(size(r.key()), size(r.value()));
                    t.keys.offer(r.key());
                    t.values.offer(r.value());
                    if (r.topic().endsWith(CHANGELOG)) {
                        Map<ByteBuffer, Integer> store = live.computeIfAbsent(r.topic(), x -> new HashMap<>());
                        ByteBuffer key = ByteBuffer.allocate(4 + r.key().length).putInt(r.partition()).put(r.key()).flip(); // per task
                        if (r.value() == null) {
                            store.remove(key);
                        } else {
                            store.put(key, r.key().length + r.value().length);
                        }
                    }
                }
                ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        Map<Integer, Long> inputs = new HashMap<>();
        backlogEnd.forEach((tp, end) -> inputs.put(tp.partition(), end));
        Map<String, StoreSize> stores = new TreeMap<>();
        live.forEach((topic, keys) -> stores.put(storeName(topic),
                new StoreSize(keys.size(), keys.values().stream().mapToLong(Integer::longValue).sum())));
        return new MatchedOutputs(new ArrayList<>(byTopic.values()), inputs, stores);
    }

    /**
     * Per state store, from its changelog as read after the drain: the keys it holds and their bytes (serialized
     * key + value, as a restore would load them; RocksDB's own overhead not counted).
     */
    Map<String, StoreSize> stores() {
        return stores;
    }

    /** {@code <application.id>-<store>-changelog} -> store; application ids of the benchmark are bench-pipeline-<millis>. */
    private static String storeName(String changelog) {
        String s = changelog.substring(0, changelog.length() - CHANGELOG.length());
        return s.replaceFirst("^bench-pipeline-\\d+-", "");
    }

    /** Records the pipeline wrote (and the copy will write), by source topic. */
    Map<String, Long> records() {
        Map<String, Long> n = new LinkedHashMap<>();
        targets.forEach(t -> n.put(t.topic.substring(PREFIX.length()), t.byPartition.values().stream().mapToLong(s -> s.count).sum()));
        return n;
    }

    @Override
    public void forEach(ConsumerRecord<byte[], byte[]> input, Consumer<ProducerRecord<byte[], byte[]>> send) {
        long m = inputRecords.getOrDefault(input.partition(), 0L);
        long i = input.offset();
        if (i >= m) {
            return;
        }
        for (Target t : targets) {
            Sizes s = t.byPartition.get(input.partition());
            if (s == null) {
                continue;
            }
            int from = (int) (i * s.count / m);
            int to = (int) ((i + 1) * s.count / m);
            for (int k = from; k < to; k++) {
                send.accept(new ProducerRecord<>(t.topic, input.partition(), input.timestamp(),
                        t.keys.slice(s.keys[k]), t.values.slice(s.values[k])));
            }
        }
    }

    private static int size(byte[] b) {
        return b == null ? -1 : b.length;
    }

    private static void createTopics(Admin admin, Map<String, Integer> partitionsByTopic) throws Exception {
        List<ConfigResource> resources = partitionsByTopic.keySet().stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> {
            Map<String, String> own = new HashMap<>();
            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries().stream()
                    .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .forEach(e -> own.put(e.name(), e.value()));
            topics.add(new NewTopic(PREFIX + name, partitions, (short) 1).configs(own));
        });
        admin.createTopics(topics).all().get();
    }

    /** Key and value sizes of one partition's records, in order. */
    private static final class Sizes {
        int[] keys = new int[1024];
        int[] values = new int[1024];
        int count;

        void add(int key, int value) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            keys[count] = key;
            values[count] = value;
            count++;
        }
    }

    /** The first megabyte of a topic's keys or values, end to end; slices of it stand in for records. */
    private static final class Corpus {
        private byte[] bytes = new byte[0];
        private int filled;
        private int next;

        synchronized void offer(byte[] b) {
            if (b == null || filled >= CORPUS_BYTES) {
                return;
            }
            if (bytes.length < CORPUS_BYTES) {
                bytes = Arrays.copyOf(bytes, CORPUS_BYTES);
            }
            int n = Math.min(b.length, CORPUS_BYTES - filled);
            System.arraycopy(b, 0, bytes, filled, n);
            filled += n;
        }

        /** {@code size} bytes of the corpus, taken in turn (repeated when a record is longer than what was kept); -1: null. */
        synchronized byte[] slice(int size) {
            if (size < 0) {
                return null;
            }
            byte[] out = new byte[size];
            if (filled == 0) {
                return out;
            }
            for (int done = 0; done < size; ) {
                if (next >= filled) {
                    next = 0;
                }
                int n = Math.min(size - done, filled - next);
                System.arraycopy(bytes, next, out, done, n);
                done += n;
                next += n;
            }
            return out;
        }
    }
}
