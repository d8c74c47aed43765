package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** CONSUMER_PLAN_WORK_DATA: internal or more sensitive data on FREE, PRO or MAX (004). */
final class ConsumerPlanWorkData implements Rule {
    public ViolationCode code() { return ViolationCode.CONSUMER_PLAN_WORK_DATA; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("004"); }

    public boolean firesOn(EventContext c) {
        return c.consumerPlan() && c.effectiveAtLeast(DataClass.INTERNAL);
    }

    public String explain(EventContext c) {
        return c.effectiveClass() + " work data was sent through the consumer plan " + c.row().getPlan();
    }
}
