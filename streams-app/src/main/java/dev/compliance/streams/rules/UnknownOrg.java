package dev.compliance.streams.rules;

import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** UNKNOWN_ORG: no org policy record was in force at the event's time (001, audit logging). */
final class UnknownOrg implements Rule {
    public ViolationCode code() { return ViolationCode.UNKNOWN_ORG; }
    public Severity severity() { return Severity.LOW; }
    public List<String> citations() { return List.of("001"); }

    public boolean firesOn(EventContext c) {
        return !c.orgKnown();
    }

    public String explain(EventContext c) {
        return "No policy record of org '" + c.event().getOrgId() + "' was in force at "
                + c.event().getEventTime() + "; judged as an org with no agreements";
    }
}
