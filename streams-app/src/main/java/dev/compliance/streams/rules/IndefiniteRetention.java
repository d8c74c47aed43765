package dev.compliance.streams.rules;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Feature;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** INDEFINITE_RETENTION: sensitive content in Projects or the Files API, kept until deleted (001, 003, 004). */
final class IndefiniteRetention implements Rule {
    private static final Set<Feature> KEPT_UNTIL_DELETED = EnumSet.of(Feature.PROJECTS, Feature.FILES_API);

    public ViolationCode code() { return ViolationCode.INDEFINITE_RETENTION; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("001", "003", "004"); }

    public boolean firesOn(EventContext c) {
        return KEPT_UNTIL_DELETED.contains(c.event().getFeature()) && c.effectiveAtLeast(DataClass.SENSITIVE);
    }

    public String explain(EventContext c) {
        return c.effectiveClass() + " content was stored in " + c.event().getFeature()
                + ", which keeps it until someone deletes it";
    }
}
