package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** RESTRICTED_DATA: effective class is RESTRICTED, any plan, any feature (001). */
final class RestrictedData implements Rule {
    public ViolationCode code() { return ViolationCode.RESTRICTED_DATA; }
    public Severity severity() { return Severity.CRITICAL; }
    public List<String> citations() { return List.of("001"); }

    public boolean firesOn(EventContext c) {
        return c.effectiveClass() == DataClass.RESTRICTED;
    }

    public String explain(EventContext c) {
        return "Restricted data was sent to Claude (" + c.row().getPlan() + " " + c.row().getFeature()
                + "); restricted data must not be sent to Claude on any plan";
    }
}
