package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/**
 * TRAINING_EXPOSURE: internal or more sensitive content, off a zero-retention path, that may train models
 * (002, 003, 004): consumer training, the Development Partner Program on Team, Enterprise and the API, or
 * reported material (FEEDBACK) on any plan. The paths and their condition are the catalog's [training].
 */
final class TrainingExposure implements Rule {
    public ViolationCode code() { return ViolationCode.TRAINING_EXPOSURE; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("002", "003", "004"); }

    public boolean firesOn(EventContext c) {
        return c.effectiveAtLeast(DataClass.INTERNAL) && c.mayTrainModels();
    }

    public String explain(EventContext c) {
        String why = switch (c.row().getTraining()) {
            case CONSUMER_SETTING -> "the consumer plan " + c.row().getPlan() + " trains on it (the user did not opt out)";
            case DEVELOPMENT_PARTNER_PROGRAM -> "the org is in the Development Partner Program";
            case ALWAYS -> c.row().getFeature() + " is reported material, which may train models";
            case NEVER -> "never"; // not reached: mayTrainModels() is false
        };
        return c.effectiveClass() + " content may be used to train models: " + why;
    }
}
