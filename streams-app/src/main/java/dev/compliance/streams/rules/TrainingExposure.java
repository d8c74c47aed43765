package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** TRAINING_EXPOSURE: internal or more sensitive content that may train models (002, 004). */
final class TrainingExposure implements Rule {
    public ViolationCode code() { return ViolationCode.TRAINING_EXPOSURE; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("002", "004"); }

    public boolean firesOn(EventContext c) {
        return c.effectiveAtLeast(DataClass.INTERNAL) && c.mayTrainModels();
    }

    public String explain(EventContext c) {
        String why = c.consumerTrainingApplies()
                ? "the consumer plan " + c.row().getPlan() + " trains on it (the user did not opt out)"
                : "the org is in the Development Partner Program";
        return c.effectiveClass() + " content may be used to train models: " + why;
    }
}
