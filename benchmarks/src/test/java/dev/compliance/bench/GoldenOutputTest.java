package dev.compliance.bench;

import dev.compliance.avro.UsageEvent;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Performance work must not change a single output record. This test pipes a fixed, deterministic input
 * (the benchmark mix, seed 42, 200 orgs: 40 days x 300 events, plus events that certainly violate, unreadable
 * bytes and records keyed by the wrong org, with the wall clock following the days so that the ledger's
 * expiry check and the rollup's day closing run) through the whole topology in a TopologyTestDriver
 * (private state.dir), and compares every output record (topic, key bytes, value bytes, every header,
 * timestamp), in order, with the capture in {@code src/test/resources/golden/topology-outputs.txt}: per
 * output topic, the record count and a SHA-256 over the records.
 *
 * <p>On a mismatch the per-record digests of this run are in {@code target/golden-actual-records.txt}; run
 * the test on main with {@code -Dgolden.records=true} to get main's list and diff the two.
 *
 * <p>Regenerating the capture: only from main's own state, after merging a change to the outputs that main
 * made on purpose (a new field, a new rule), never to make an optimisation pass. Check out main (or merge
 * it into a branch that has no output change of its own), then
 * {@code mvn -B -ntp -o -q -pl benchmarks -am test -Dtest=GoldenOutputTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.regenerate=true}
 * and commit the file with the main commit it came from in the message.
 */
class GoldenOutputTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/topology-outputs.txt");
    private static final Instant FIRST_DAY = LocalDate.parse("2026-03-01").atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final int DAYS = 40;
    private static final int PER_DAY = 300;

    @Test
    void everyOutputRecordIsTheSameAsTheGoldenCapture() throws IOException {
        Capture capture = run();
        String actual = capture.summary();
        Files.createDirectories(Path.of("target"));
        if (Boolean.getBoolean("golden.records") || !Files.exists(GOLDEN) || !actual.equals(Files.readString(GOLDEN))) {
            Files.write(Path.of("target/golden-actual-records.txt"), capture.recordLines);
        }
        if (Boolean.getBoolean("golden.regenerate")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual);
        }
        assertThat(actual).as("output records compared with " + GOLDEN + " (see the class comment)")
                .isEqualTo(Files.readString(GOLDEN));
    }

    /** The summary lines: per topic, "topic records sha256". */
    private static final class Capture {
        final Map<String, MessageDigest> digests = new LinkedHashMap<>();
        final Map<String, Long> counts = new LinkedHashMap<>();
        final List<String> recordLines = new ArrayList<>();

        void add(Map<String, List<TestRecord<byte[], byte[]>>> read) {
            read.forEach((topic, records) -> {
                MessageDigest d = digests.computeIfAbsent(topic, t -> sha256());
                for (TestRecord<byte[], byte[]> r : records) {
                    byte[] bytes = canonical(r);
                    d.update(bytes);
                    long n = counts.merge(topic, 1L, Long::sum);
                    recordLines.add(topic + " " + n + " " + HexFormat.of().formatHex(sha256().digest(bytes)));
                }
            });
        }

        String summary() {
            StringBuilder sb = new StringBuilder("# topic records sha256-of-records (GoldenOutputTest; see its comment before regenerating)\n");
            digests.forEach((topic, d) -> sb.append(topic).append(' ').append(counts.getOrDefault(topic, 0L)).append(' ')
                    .append(HexFormat.of().formatHex(d.digest())).append('\n'));
            return sb.toString();
        }
    }

    private static Capture run() {
        Capture capture = new Capture();
        EventMix mix = new EventMix(42, 200);
        SplittableRandom bad = new SplittableRandom(7);
        try (TopologyHarness harness = new TopologyHarness(FIRST_DAY)) {
            harness.publish(mix.policies());
            capture.add(harness.read());
            long spacingMs = 86_400_000L / PER_DAY;
            for (int d = 0; d < DAYS; d++) {
                Instant dayStart = FIRST_DAY.plus(Duration.ofDays(d));
                for (int j = 0; j < PER_DAY; j++) {
                    Instant t = dayStart.plusMillis(j * spacingMs);
                    UsageEvent e = j % 50 == 0 ? mix.certainViolation(t) : mix.next(t);
                    if (j % 97 == 0) {
                        byte[] garbage = new byte[1 + bad.nextInt(40)];
                        bad.nextBytes(garbage);
                        harness.pipe(e.getOrgId(), garbage, t); // unreadable: dead letter
                    } else if (j % 131 == 0) {
                        harness.pipe("org-9999", harness.encode(e), t); // keyed by another org: dead letter
                    } else {
                        harness.pipe(e.getOrgId(), harness.encode(e), t);
                    }
                    if (j % 100 == 99) {
                        capture.add(harness.read());
                    }
                }
                harness.driver.advanceWallClockTime(Duration.ofDays(1)); // the ledger's expiry check, the rollup's closing
                capture.add(harness.read());
            }
        }
        return capture;
    }

    private static byte[] canonical(TestRecord<byte[], byte[]> r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            field(out, r.key());
            field(out, r.value());
            Header[] headers = r.headers().toArray();
            out.writeInt(headers.length);
            for (Header h : headers) {
                field(out, h.key().getBytes(StandardCharsets.UTF_8));
                field(out, h.value());
            }
            out.writeLong(r.timestamp());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
