package dev.compliance.streams.query;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionKind;
import dev.compliance.streams.StoreKeys;

import java.time.LocalDate;

/**
 * The key of one entry of {@link RetentionExposure#STORE}: what changed on one UTC day in the content the
 * vendor holds for one org x retention kind x plan x feature x effective class, and whether that content
 * has a date ({@code dated}: it expires on a known day; undated: kept until deleted, or as the platform
 * decides). Written {@code orgId|day|kind|DATED|plan|feature|class} (class {@code -} when the record had
 * none), org first so that one org is one prefix scan; {@link #parse} splits the six fixed fields off the
 * end, so any orgId round-trips.
 */
public record ExposureKey(String orgId, LocalDate day, RetentionKind kind, boolean dated, Plan plan, Feature feature,
                          DataClass effectiveClass) {

    private static final String NO_CLASS = "-";

    public String format() {
        return orgId + "|" + day + "|" + kind + "|" + (dated ? "DATED" : "UNDATED") + "|" + plan + "|" + feature + "|"
                + (effectiveClass == null ? NO_CLASS : effectiveClass.name());
    }

    public static ExposureKey parse(String key) {
        StoreKeys.Parts p = StoreKeys.split(key, 0, 6);
        String dated = p.tail(2);
        if (!dated.equals("DATED") && !dated.equals("UNDATED")) {
            throw new IllegalArgumentException("not an exposure key: " + key);
        }
        return new ExposureKey(p.middle(), LocalDate.parse(p.tail(0)), RetentionKind.valueOf(p.tail(1)), dated.equals("DATED"),
                Plan.valueOf(p.tail(3)), Feature.valueOf(p.tail(4)),
                p.tail(5).equals(NO_CLASS) ? null : DataClass.valueOf(p.tail(5)));
    }

    /** The same path on another day. */
    public ExposureKey on(LocalDate otherDay) {
        return new ExposureKey(orgId, otherDay, kind, dated, plan, feature, effectiveClass);
    }
}
