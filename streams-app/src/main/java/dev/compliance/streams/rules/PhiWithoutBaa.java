package dev.compliance.streams.rules;

import dev.compliance.avro.DataTag;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** PHI_WITHOUT_BAA: health information on a path no HIPAA BAA covers (004). */
final class PhiWithoutBaa implements Rule {
    public ViolationCode code() { return ViolationCode.PHI_WITHOUT_BAA; }
    public Severity severity() { return Severity.CRITICAL; }
    public List<String> citations() { return List.of("004"); }

    public boolean firesOn(EventContext c) {
        return c.hasTag(DataTag.PHI) && !c.baaCovered();
    }

    public String explain(EventContext c) {
        return "Protected health information went through " + c.row().getPlan() + " " + c.row().getFeature()
                + (c.baaSigned() ? ", which the org's BAA does not cover" : " without a HIPAA BAA covering it");
    }
}
