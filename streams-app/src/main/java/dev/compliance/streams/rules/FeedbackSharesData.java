package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** FEEDBACK_SHARES_DATA: internal or more sensitive content sent with /feedback, kept 5 years (002). */
final class FeedbackSharesData implements Rule {
    public ViolationCode code() { return ViolationCode.FEEDBACK_SHARES_DATA; }
    public Severity severity() { return Severity.MEDIUM; }
    public List<String> citations() { return List.of("002"); }

    public boolean firesOn(EventContext c) {
        return c.event().getFeature() == Feature.FEEDBACK && c.effectiveAtLeast(DataClass.INTERNAL);
    }

    public String explain(EventContext c) {
        return c.effectiveClass() + " content was shared through feedback, whose transcript is kept for 5 years";
    }
}
