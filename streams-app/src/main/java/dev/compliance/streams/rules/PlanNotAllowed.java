package dev.compliance.streams.rules;

import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** PLAN_NOT_ALLOWED: the org approved a list of plans and this is not one of them (001, approved deployments). */
final class PlanNotAllowed implements Rule {
    public ViolationCode code() { return ViolationCode.PLAN_NOT_ALLOWED; }
    public Severity severity() { return Severity.MEDIUM; }
    public List<String> citations() { return List.of("001"); }

    public boolean firesOn(EventContext c) {
        return c.orgKnown() && !c.policy().getAllowedPlans().isEmpty()
                && !c.policy().getAllowedPlans().contains(c.event().getPlan());
    }

    public String explain(EventContext c) {
        return c.event().getPlan() + " is not one of the org's approved plans " + c.policy().getAllowedPlans();
    }
}
