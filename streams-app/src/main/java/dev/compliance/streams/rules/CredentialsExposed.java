package dev.compliance.streams.rules;

import dev.compliance.avro.DataTag;
import dev.compliance.avro.Severity;
import dev.compliance.avro.ViolationCode;

import java.util.List;

/** CREDENTIALS_EXPOSED: the content carries credentials (003). */
final class CredentialsExposed implements Rule {
    public ViolationCode code() { return ViolationCode.CREDENTIALS_EXPOSED; }
    public Severity severity() { return Severity.CRITICAL; }
    public List<String> citations() { return List.of("003"); }

    public boolean firesOn(EventContext c) {
        return c.hasTag(DataTag.CREDENTIALS);
    }

    public String explain(EventContext c) {
        return "Credentials were sent to Claude through " + c.row().getPlan() + " " + c.row().getFeature()
                + "; rotate them, they may be held by the vendor";
    }
}
