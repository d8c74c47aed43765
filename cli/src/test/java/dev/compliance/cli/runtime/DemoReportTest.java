package dev.compliance.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.ViolationCode;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    private static DemoMonitor.Snapshot snapshot() {
        Map<ViolationCode, Long> codes = new EnumMap<>(ViolationCode.class);
        codes.put(ViolationCode.UNKNOWN_ORG, 30L);
        codes.put(ViolationCode.CREDENTIALS_EXPOSED, 5L);
        codes.put(ViolationCode.PHI_WITHOUT_BAA, 10L);
        codes.put(ViolationCode.TRAINING_EXPOSURE, 5L);
        Map<String, Long> orgs = new TreeMap<>(Map.of("org-a", 40L, "org-b", 10L));
        Map<RetentionKind, Long> kinds = new EnumMap<>(RetentionKind.class);
        kinds.put(RetentionKind.FIXED, 90L);
        kinds.put(RetentionKind.ZERO, 10L);
        return new DemoMonitor.Snapshot(100, codes, orgs, kinds, 0, 50, new TreeMap<>(Map.of("eventId is empty", 2L)));
    }

    @Test
    void progressLineShowsTheBiggestCodes() {
        assertThat(DemoReport.progressLine(Duration.ofSeconds(12), snapshot(), 98, 201.4))
                .isEqualTo("[  12s] events 100 (201/s) | judged 98 | violations 50 "
                        + "(UNKNOWN_ORG 30, PHI_WITHOUT_BAA 10, CREDENTIALS_EXPOSED 5) | retention 100 | dead letters 2");
    }

    @Test
    void summaryHasOneTablePerBreakdown() {
        String summary = DemoReport.summary(snapshot(), Duration.ofSeconds(20)).replace(System.lineSeparator(), "\n");

        assertThat(summary).contains("""
                Violations by code
                  code                   count  share
                  UNKNOWN_ORG               30  60.0%
                  PHI_WITHOUT_BAA           10  20.0%
                  CREDENTIALS_EXPOSED        5  10.0%
                  TRAINING_EXPOSURE          5  10.0%
                """);
        assertThat(summary).contains("""
                Retention schedules by kind
                  kind     count  share
                  FIXED       90  90.0%
                  ZERO        10  10.0%
                """);
        assertThat(summary).contains("Summary after 20s: 100 events in, 50 violations, 50 OCSF findings, 100 retention schedules, 2 dead letters");
        assertThat(summary).contains("  eventId is empty        2 100.0%");
    }
}
