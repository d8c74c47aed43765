package dev.compliance.streams.rollup;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Plan;
import dev.compliance.avro.UsageRollup;
import dev.compliance.streams.StoreKeys;

import java.time.LocalDate;

/**
 * The key of one daily rollup on {@code compliance.rollups.daily}: {@code orgId|day|plan|feature|dataClass},
 * org first so that a reader can scan one org's days.
 *
 * <p>The orgId may contain anything, '|' included: {@link #parse} takes the four fixed fields after the
 * last four bars (an ISO day and enum names have none), and the orgId is what comes before them.
 */
public record RollupKey(String orgId, LocalDate day, Plan plan, Feature feature, DataClass dataClass) {

    /** The key of a rollup record. */
    public static RollupKey of(UsageRollup r) {
        return new RollupKey(r.getOrgId(), r.getDay(), r.getPlan(), r.getFeature(), r.getDataClass());
    }

    /** The record key. */
    public String format() {
        return orgId + "|" + day + "|" + plan + "|" + feature + "|" + dataClass;
    }

    /** The rollup key a record key names; throws IllegalArgumentException for a string {@link #format} did not write. */
    public static RollupKey parse(String key) {
        StoreKeys.Parts p = StoreKeys.split(key, 0, 4);
        return new RollupKey(p.middle(), LocalDate.parse(p.tail(0)),
                Plan.valueOf(p.tail(1)), Feature.valueOf(p.tail(2)), DataClass.valueOf(p.tail(3)));
    }
}
