package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** OUTSIDE_ZDR_SCOPE: sensitive content off a zero-retention path although the org has ZDR: it believes it is covered (000, 004). */
final class OutsideZdrScope implements Rule {
    public ViolationCode code() { return ViolationCode.OUTSIDE_ZDR_SCOPE; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("000", "004"); }

    public boolean firesOn(EventContext c) {
        return c.effectiveAtLeast(DataClass.SENSITIVE) && !c.zeroRetentionPath() && c.zdrEnabled();
    }

    public String explain(EventContext c) {
        return c.effectiveClass() + " data went through " + c.row().getPlan() + " " + c.row().getFeature()
                + ", which Zero Data Retention does not cover although the org has ZDR enabled";
    }
}
