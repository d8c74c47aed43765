package dev.compliance.streams.retention;

import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.RetentionKind;

import dev.compliance.streams.StoreKeys;

import java.time.LocalDate;

/**
 * The key of one bucket of the retention ledger's store: content of one org x plan x feature x kind that
 * expires on one UTC day. Written {@code expiryDay|orgId|plan|feature|kind}: the day comes first so the
 * expiry check is one range scan over the days already past.
 *
 * <p>The orgId may contain anything, '|' included: {@link #parse} takes the day up to the first '|' (an ISO
 * day has none) and the three enum names after the last three (enum names have none), and the orgId is
 * whatever lies between. So the key is never ambiguous, whatever orgId the schema lets through.
 */
public record ExpiryBucket(LocalDate expiryDay, String orgId, Plan plan, Feature feature, RetentionKind kind) {

    /** The store key. */
    public String format() {
        return expiryDay + "|" + orgId + "|" + plan + "|" + feature + "|" + kind;
    }

    /** The bucket a store key names; throws IllegalArgumentException for a string {@link #format} did not write. */
    public static ExpiryBucket parse(String key) {
        StoreKeys.Parts p = StoreKeys.split(key, 1, 3);
        return new ExpiryBucket(LocalDate.parse(p.head(0)), p.middle(),
                Plan.valueOf(p.tail(0)), Feature.valueOf(p.tail(1)), RetentionKind.valueOf(p.tail(2)));
    }
}
