package dev.compliance.bench.e2e;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pipeline's memory, for the report: the measuring JVM's resident size (which hosts the app and the
 * benchmark's own clients), its heap in use, and the RocksDB memory Kafka Streams reports. (What the state
 * stores hold is measured from their changelogs, {@link MatchedOutputs#stores()}.)
 */
final class Footprint {

    /** One reading of the process's memory. */
    record Memory(long residentBytes, long heapUsedBytes, long rocksDbBytes) {
    }

    private Footprint() {
    }

    /**
     * Resident set (VmRSS of /proc/self/status), heap in use, and the RocksDB memory of the stores (memtables,
     * block cache, table readers: Kafka Streams' stream-state-metrics, summed over stores).
     */
    static Memory memory(Map<MetricName, ? extends Metric> streamsMetrics) {
        long rocks = 0;
        if (streamsMetrics != null) {
            for (var e : streamsMetrics.entrySet()) {
                String name = e.getKey().name();
                if (e.getKey().group().equals("stream-state-metrics")
                        && (name.equals("size-all-mem-tables") || name.equals("block-cache-usage") || name.equals("estimate-table-readers-mem"))
                        && e.getValue().metricValue() instanceof Number n) {
                    rocks += n.longValue();
                }
            }
        }
        return new Memory(residentBytes(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), rocks);
    }

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return -1;
    }
}
