package dev.compliance.streams.rules;

import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/**
 * ZDR_BLOCKED_FEATURE: a feature the backend disables under ZDR was used by a ZDR org: a bypass or a wrong
 * record (000: disabled "for a Claude Code organization on Claude for Enterprise"). Which plan x feature
 * paths are disabled is the catalog's [zdr-disables] (Enterprise only since POLICY.md v2).
 */
final class ZdrBlockedFeature implements Rule {
    public ViolationCode code() { return ViolationCode.ZDR_BLOCKED_FEATURE; }
    public Severity severity() { return Severity.HIGH; }
    public List<String> citations() { return List.of("000"); }

    public boolean firesOn(EventContext c) {
        return c.zdrEnabled() && c.row().getZdrDisablesFeature();
    }

    public String explain(EventContext c) {
        return c.event().getFeature() + " was used on " + c.row().getPlan()
                + " although ZDR disables it for the org: a bypass or a wrong org record";
    }
}
