package dev.compliance.producers.otlp;

import java.util.Map;

/**
 * A log record of a counted kind that the receiver could not turn into a usage event: why, in words and as a
 * {@link Cause} (the label it is counted under on /metrics), and the record's attributes without their content
 * (what the dead-letter topic keeps of it).
 *
 * @param orgId the org the record was attributed to, or null when it could not be attributed
 */
public record Refusal(Cause cause, String message, String eventName, String orgId, Map<String, String> attributes) {

    public Refusal {
        attributes = Map.copyOf(attributes);
    }

    /** Why a record was refused, and the setting that fixes it (logged once per cause). */
    public enum Cause {
        NO_ORG("no-org", "authenticate exporters with a token (--tokens-file), or set organization.id in "
                + "OTEL_RESOURCE_ATTRIBUTES, or give the receiver --default-org"),
        ORG_MISMATCH("org-mismatch", "the record's organization.id differs from its token's org: fix "
                + "OTEL_RESOURCE_ATTRIBUTES or give that machine the token of its own org"),
        NO_IDENTITY("no-identity", "the record names no user (user.email, user.account_uuid) and no device (user.id); "
                + "Claude Code always sends user.id, so this exporter is not Claude Code or strips its attributes"),
        UNKNOWN_PLAN("unknown-plan", "set compliance.plan in OTEL_RESOURCE_ATTRIBUTES to one of the Plan values"),
        UNKNOWN_DATA_CLASS("unknown-data-class", "set compliance.data_class in OTEL_RESOURCE_ATTRIBUTES to one of "
                + "the DataClass values"),
        NO_TIME("no-time", "the record has no event.timestamp, timeUnixNano or observedTimeUnixNano");

        /** The label on /metrics and in the dead letter. */
        public final String label;
        /** What to change so records of this cause are accepted. */
        public final String fix;

        Cause(String label, String fix) {
            this.label = label;
            this.fix = fix;
        }
    }
}
