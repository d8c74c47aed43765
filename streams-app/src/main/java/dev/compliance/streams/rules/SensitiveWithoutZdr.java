package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** SENSITIVE_WITHOUT_ZDR: sensitive content off a zero-retention path, and the org has no ZDR (001, 004). */
final class SensitiveWithoutZdr implements Rule {
    public ViolationCode code() { return ViolationCode.SENSITIVE_WITHOUT_ZDR; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("001", "004"); }

    public boolean firesOn(EventContext c) {
        return c.effectiveAtLeast(DataClass.SENSITIVE) && !c.zeroRetentionPath() && !c.zdrEnabled();
    }

    public String explain(EventContext c) {
        return c.effectiveClass() + " data went through " + c.row().getPlan() + " " + c.row().getFeature()
                + ", which retains content, and the org has no Zero Data Retention agreement";
    }
}
