package dev.compliance.cli.runtime;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The demo's text: one progress line per second and the summary tables at the end. */
final class DemoReport {

    private static final int TOP_CODES_ON_PROGRESS_LINE = 3;
    private static final int TOP_ORGS = 10;

    private DemoReport() {
    }

    /**
     * {@code [  12s] events 2400 (201/s) | judged 2380 | violations 612 (UNKNOWN_ORG 200, ...) | retention 2380 | dead letters 2}
     *
     * @param judged     input events whose outputs Kafka Streams has committed
     * @param ratePerSec events in per second over the last interval
     */
    static String progressLine(Duration elapsed, DemoMonitor.Snapshot s, long judged, double ratePerSec) {
        String codes = top(s.violationsByCode(), TOP_CODES_ON_PROGRESS_LINE).stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "[%4ds] events %d (%.0f/s) | judged %d | violations %d%s | retention %d | dead letters %d",
                elapsed.toSeconds(), s.eventsIn(), ratePerSec, judged, s.violations(),
                codes.isEmpty() ? "" : " (" + codes + ")", s.retentionScheduled(), s.deadLetters());
    }

    /** The tables printed when the demo ends. */
    static String summary(DemoMonitor.Snapshot s, Duration elapsed) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nSummary after %ds: %d events in, %d violations, %d OCSF findings, %d retention schedules, %d dead letters%n",
                elapsed.toSeconds(), s.eventsIn(), s.violations(), s.findings(), s.retentionScheduled(), s.deadLetters()));
        table(out, "Violations by code", "code", s.violationsByCode(), Integer.MAX_VALUE, s.violations());
        table(out, "Violations by org (top " + TOP_ORGS + ")", "org", s.violationsByOrg(), TOP_ORGS, s.violations());
        table(out, "Retention schedules by kind", "kind", s.retentionByKind(), Integer.MAX_VALUE, s.retentionScheduled());
        if (s.retentionExpired() > 0) {
            out.append(String.format(Locale.ROOT, "  (%d retention windows already expired)%n", s.retentionExpired()));
        }
        table(out, "Dead letters by reason", "reason", s.deadLettersByReason(), Integer.MAX_VALUE, s.deadLetters());
        return out.toString();
    }

    private static <K> void table(StringBuilder out, String title, String keyHeader, Map<K, Long> counts, int limit, long total) {
        out.append(System.lineSeparator()).append(title).append(System.lineSeparator());
        if (counts.isEmpty()) {
            out.append("  (none)").append(System.lineSeparator());
            return;
        }
        List<Map.Entry<K, Long>> rows = top(counts, limit);
        int width = Math.max(keyHeader.length(), rows.stream().mapToInt(e -> e.getKey().toString().length()).max().orElse(0));
        String format = "  %-" + width + "s %8s %6s%n";
        out.append(String.format(Locale.ROOT, format, keyHeader, "count", "share"));
        for (Map.Entry<K, Long> row : rows) {
            out.append(String.format(Locale.ROOT, format, row.getKey(), row.getValue(),
                    String.format(Locale.ROOT, "%.1f%%", 100.0 * row.getValue() / total)));
        }
        if (rows.size() < counts.size()) {
            out.append(String.format(Locale.ROOT, "  ... and %d more%n", counts.size() - rows.size()));
        }
    }

    /** Largest counts first; equal counts in key order. */
    private static <K> List<Map.Entry<K, Long>> top(Map<K, Long> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<K, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(e -> e.getKey().toString()))
                .limit(limit)
                .toList();
    }
}
