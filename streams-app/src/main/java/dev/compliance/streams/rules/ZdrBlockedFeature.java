package dev.compliance.streams.rules;

import dev.compliance.avro.Feature;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** ZDR_BLOCKED_FEATURE: a feature the backend disables under ZDR was used by a ZDR org: a bypass or a wrong record (000). */
final class ZdrBlockedFeature implements Rule {
    private static final Set<Feature> DISABLED_UNDER_ZDR =
            EnumSet.of(Feature.CLAUDE_CODE_WEB, Feature.CLAUDE_CODE_REMOTE, Feature.FEEDBACK);

    public ViolationCode code() { return ViolationCode.ZDR_BLOCKED_FEATURE; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("000"); }

    public boolean firesOn(EventContext c) {
        return c.zdrEnabled() && DISABLED_UNDER_ZDR.contains(c.event().getFeature());
    }

    public String explain(EventContext c) {
        return c.event().getFeature() + " was used although ZDR disables it for the org: a bypass or a wrong org record";
    }
}
