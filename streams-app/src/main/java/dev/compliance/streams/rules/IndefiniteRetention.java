package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.RetentionKind;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;
import dev.compliance.streams.retention.RetentionCalculator;

import java.util.List;

/**
 * INDEFINITE_RETENTION: sensitive content whose retention verdict is UNTIL_DELETED (001, 003, 004): kept
 * until someone deletes it, whatever the feature (POLICY.md v2 derives it from the verdict, so Team and
 * Enterprise chat kept until deleted count too, and custom Enterprise retention bounds projects).
 */
final class IndefiniteRetention implements Rule {
    public ViolationCode code() { return ViolationCode.INDEFINITE_RETENTION; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("001", "003", "004"); }

    public boolean firesOn(EventContext c) {
        return c.effectiveAtLeast(DataClass.SENSITIVE)
                && RetentionCalculator.decidingRule(c).getKind() == RetentionKind.UNTIL_DELETED;
    }

    public String explain(EventContext c) {
        return c.effectiveClass() + " content was stored in " + c.row().getPlan() + " " + c.event().getFeature()
                + ", which keeps it until someone deletes it (retention row " + RetentionCalculator.decidingRule(c).getRow() + ")";
    }
}
