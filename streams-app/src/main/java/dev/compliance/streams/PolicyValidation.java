package dev.compliance.streams;

import dev.compliance.avro.OrgPolicy;

/**
 * Checks an org policy record before it enters the versioned table (POLICY.md v2, "Org policy": "A
 * record is refused ... when customRetentionDays is below 1 or above 3650, or localTranscriptDays is
 * below 1 or above 3650"): a typo must not become a verdict. A refused record goes to the dead-letter
 * topic with the reason, and the version in force before it stays in force.
 */
public final class PolicyValidation {

    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;

    private PolicyValidation() {
    }

    /** The reason the record is refused, or null when it may be put in force. A tombstone (null) is valid. */
    public static String problem(OrgPolicy policy) {
        if (policy == null) {
            return null;
        }
        Integer custom = policy.getCustomRetentionDays();
        if (custom != null && outOfRange(custom)) {
            return rangeProblem("customRetentionDays", custom, policy);
        }
        if (outOfRange(policy.getLocalTranscriptDays())) {
            return rangeProblem("localTranscriptDays", policy.getLocalTranscriptDays(), policy);
        }
        return null;
    }

    private static boolean outOfRange(int days) {
        return days < MIN_DAYS || days > MAX_DAYS;
    }

    private static String rangeProblem(String field, int days, OrgPolicy policy) {
        return "org policy of '" + policy.getOrgId() + "' effective " + policy.getEffectiveFrom() + ": " + field + " "
                + days + " is outside " + MIN_DAYS + ".." + MAX_DAYS + " (fix the record and publish it again;"
                + " the previous version stays in force)";
    }
}
